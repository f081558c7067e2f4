package org.troupedb.bench;

import picocli.CommandLine.Option;

/** The database a benchmark connects to: the {@code --url/--user/--password} options (a picocli mixin). */
public final class JdbcTarget {
  @Option(names = "--url", defaultValue = "jdbc:postgresql://127.0.0.1:26257/defaultdb?user=root",
      description = "JDBC URL (default: ${DEFAULT-VALUE})")
  public String url;

  @Option(names = "--user", description = "user, if not in the URL")
  public String user;

  @Option(names = "--password", description = "password, if any")
  public String password;
}
