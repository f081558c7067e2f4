package org.troupedb.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs the real {@code psql} client against a server (PostgreSQL or TroupeDB) and returns what a
 * user would see, in a form two servers' outputs can be diffed in.
 *
 * <p>Flags, and why:
 *
 * <ul>
 *   <li>{@code -X}: no ~/.psqlrc, so nobody's local settings change the output;
 *   <li>{@code -a}: echo every input line to stdout, so a diff shows which statement produced what;
 *   <li>not {@code -q}: command tags ({@code INSERT 0 3}, {@code UPDATE 2}) are printed, because
 *       affected-row counts are part of what a user sees;
 *   <li>{@code -v ON_ERROR_STOP=0}: run every statement, errors included (they go to stderr);
 *   <li>{@code -P pager=off}; default <em>aligned</em> output, exactly what a user sees in a
 *       terminal (column widths and right-aligned numbers included);
 *   <li>environment: no inherited {@code PG*} variables, {@code PGCLIENTENCODING=UTF8},
 *       {@code PGCONNECT_TIMEOUT=10}, {@code LC_ALL=C.UTF-8}.
 * </ul>
 *
 * <p>Errors on stderr from a script run with {@code -f} carry a {@code psql:<path>:<line>: }
 * prefix; {@link #normalise} rewrites the path to the file's base name so runs from different
 * directories compare equal. With {@link #withMergedOutput()} stderr is written into stdout in
 * order (the way pg_regress records a transcript) and {@link Result#stderr()} is empty.
 *
 * <p>NB: every run is bounded by {@link #timeout()}; a psql that outlives it is killed and an
 * {@link IllegalStateException} is thrown.
 */
public final class Psql {

  /** Default psql binary (Debian's postgresql-client wrapper). */
  public static final Path DEFAULT_PSQL = Path.of("/usr/bin/psql");

  private static final Pattern PREFIX =
      Pattern.compile("(?m)^psql:(?:[^:\\n]*/)?([^/:\\n]+):(\\d+): ");

  /** What one psql run printed, with stdout and stderr already {@link #normalise normalised}. */
  public record Result(int exitCode, String stdout, String stderr) {

    /** Lines of stderr that carry an error ({@code ERROR:} anywhere, e.g. after the prefix). */
    public List<String> errorLines() {
      List<String> errors = new ArrayList<>();
      for (String line : stderr.split("\n", -1)) {
        if (line.contains("ERROR:")) {
          errors.add(line);
        }
      }
      return errors;
    }
  }

  private final Path psql;
  private final String host;
  private final int port;
  private final String user;
  private final String database;
  private final Duration timeout;
  private final boolean merged;

  /** A psql for {@code host:port} as {@code user} on {@code database}, 60 s timeout. */
  public Psql(String host, int port, String user, String database) {
    this(DEFAULT_PSQL, host, port, user, database, Duration.ofSeconds(60), false);
  }

  private Psql(
      Path psql, String host, int port, String user, String database, Duration timeout,
      boolean merged) {
    this.psql = psql;
    this.host = host;
    this.port = port;
    this.user = user;
    this.database = database;
    this.timeout = timeout;
    this.merged = merged;
  }

  /** A psql connected the way {@link LocalPostgres#jdbcUrl()} is. */
  public static Psql to(LocalPostgres pg) {
    return new Psql(pg.host(), pg.port(), pg.user(), pg.database());
  }

  public Psql withTimeout(Duration t) {
    return new Psql(psql, host, port, user, database, t, merged);
  }

  public Psql withBinary(Path binary) {
    return new Psql(binary, host, port, user, database, timeout, merged);
  }

  /** Sends stderr into stdout, interleaved in order; {@link Result#stderr()} is then empty. */
  public Psql withMergedOutput() {
    return new Psql(psql, host, port, user, database, timeout, true);
  }

  public Duration timeout() {
    return timeout;
  }

  /** Runs a script file ({@code -f}). */
  public Result runScript(Path script) {
    return run(List.of("-f", script.toAbsolutePath().toString()));
  }

  /** Writes {@code sql} to a temp file named {@code fileName} and runs it with {@code -f}. */
  public Result runScriptText(String fileName, String sql) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("troupedb-psql");
      Path f = dir.resolve(fileName);
      Files.writeString(f, sql, StandardCharsets.UTF_8);
      return runScript(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (dir != null) {
        try {
          Files.deleteIfExists(dir.resolve(fileName));
          Files.deleteIfExists(dir);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Runs {@code sql} with {@code -c} (one or more statements sent as one simple query). */
  public Result runCommand(String sql) {
    return run(List.of("-c", sql));
  }

  private Result run(List<String> what) {
    if (!java.nio.file.Files.isExecutable(psql)) {
      throw new IllegalStateException(
          "psql not found at " + psql + "; install it with `apt-get install postgresql-client`");
    }
    List<String> cmd = new ArrayList<>(List.of(
        psql.toString(), "-X", "-a", "-v", "ON_ERROR_STOP=0", "-P", "pager=off",
        "-h", host, "-p", Integer.toString(port), "-U", user, "-d", database));
    cmd.addAll(what);
    LocalPostgresExec.Output o = LocalPostgresExec.run(
        cmd, Path.of(System.getProperty("java.io.tmpdir")),
        Map.of("PGCLIENTENCODING", "UTF8", "PGCONNECT_TIMEOUT", "10", "LC_ALL", "C.UTF-8"),
        merged, timeout);
    return new Result(o.exitCode(), normalise(o.stdout()), normalise(o.stderr()));
  }

  /**
   * Rewrites {@code psql:/some/dir/file.sql:12: } prefixes to {@code psql:file.sql:12: } so the
   * output does not depend on where the script lived.
   */
  public static String normalise(String output) {
    return PREFIX.matcher(output).replaceAll("psql:$1:$2: ");
  }
}
