package org.troupedb.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.troupedb.testkit.LocalPostgres;
import org.troupedb.testkit.Psql;

/**
 * A real PostgreSQL 15 and a single TroupeDB node beside it, started once for a test class and
 * stopped after it: the setup of the tests that compare TroupeDB with PostgreSQL. Register it with
 * {@code @RegisterExtension static final PostgresAndNode servers = new PostgresAndNode();}.
 *
 * <p>Both sides have the database {@code defaultdb}, user {@code root}; {@link
 * #createDatabase(String)} makes another on both, for a test that wants a fresh one.
 */
final class PostgresAndNode implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private LocalPostgres postgres;
  private TroupeNode node;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("troupe-compat-");
    postgres = LocalPostgres.start();
    node = TroupeNode.start(NodeConfig.singleNode(0, 0, dir.resolve("store")));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try (LocalPostgres pg = postgres; TroupeNode n = node) {
      // closed in reverse order: the node, then PostgreSQL
    } finally {
      deleteTree(dir);
    }
  }

  LocalPostgres postgres() {
    return postgres;
  }

  TroupeNode node() {
    return node;
  }

  /** psql on PostgreSQL's {@code defaultdb}. */
  Psql postgresPsql() {
    return Psql.to(postgres);
  }

  /** psql on the node's {@code defaultdb}. */
  Psql troupePsql() {
    return troupePsql(LocalPostgres.DATABASE);
  }

  Psql postgresPsql(String database) {
    return new Psql(postgres.host(), postgres.port(), postgres.user(), database);
  }

  Psql troupePsql(String database) {
    return new Psql("127.0.0.1", node.pgAddress().getPort(), "root", database);
  }

  /** PostgreSQL's JDBC URL with {@code options} ({@code a=b&c=d}, may be empty) added. */
  String postgresJdbcUrl(String options) {
    String url = postgres.jdbcUrl();
    return options.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + options;
  }

  /** The node's JDBC URL for {@code defaultdb} as root, with {@code options} added. */
  String troupeJdbcUrl(String options) {
    return "jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/defaultdb?user=root"
        + (options.isEmpty() ? "" : "&" + options);
  }

  /** Creates database {@code name} on both sides. */
  void createDatabase(String name) throws SQLException {
    for (String url : new String[] {postgresJdbcUrl(""), troupeJdbcUrl("")}) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
