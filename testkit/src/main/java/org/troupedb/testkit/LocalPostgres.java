package org.troupedb.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway real PostgreSQL 15 server for tests and benchmarks: a fresh cluster in a temp
 * directory, listening only on 127.0.0.1 at a free port, trust auth, superuser {@code root} and
 * database {@code defaultdb} — so the same JDBC URL and psql command work against PostgreSQL and
 * TroupeDB. {@link #close()} stops it and deletes the directory.
 *
 * <pre>
 *   start(): initdb ──▶ postgresql.conf += settings ──▶ pg_ctl start -w ──▶ createdb defaultdb
 *   close(): pg_ctl stop -m fast -w (bounded; kill -9 of the postmaster as a last resort) ──▶ rm -r
 * </pre>
 *
 * <p>NB: PostgreSQL refuses to run as root. When this JVM is root, initdb and pg_ctl run as the
 * unprivileged {@code postgres} system user (created by Debian's {@code postgresql} package) via
 * {@code runuser}, and the temp directory is handed to that user. Every external command is bounded
 * by {@link Options#timeout()}; a JVM shutdown hook stops a server that was never closed.
 */
public final class LocalPostgres implements AutoCloseable {

  /** Where Debian's postgresql-15 package puts the server binaries. */
  public static final Path DEFAULT_BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");

  /** Only address the server listens on. */
  public static final String HOST = "127.0.0.1";

  /** Superuser role created by initdb (same name TroupeDB uses). */
  public static final String USER = "root";

  /** Database created after start (same name TroupeDB uses). */
  public static final String DATABASE = "defaultdb";

  private static final String SERVICE_USER = "postgres";
  private static final int START_ATTEMPTS = 3;

  /**
   * How to start the server.
   *
   * @param durable false turns off fsync, synchronous_commit and full_page_writes (fast, fine for
   *     tests); true keeps PostgreSQL's default durability (for benchmarks)
   * @param binDir directory holding initdb, pg_ctl, postgres and createdb
   * @param timeout bound for each external command (initdb, start, stop, ...)
   * @param settings extra postgresql.conf settings, values written verbatim (quote strings)
   */
  public record Options(boolean durable, Path binDir, Duration timeout, Map<String, String> settings) {

    public Options {
      settings = Map.copyOf(settings);
    }

    /** Non-durable, {@link #defaultBinDir()}, 120 s per command, no extra settings. */
    public static Options forTests() {
      return new Options(false, defaultBinDir(), Duration.ofSeconds(120), Map.of());
    }

    public Options withDurable(boolean d) {
      return new Options(d, binDir, timeout, settings);
    }

    public Options withBinDir(Path dir) {
      return new Options(durable, dir, timeout, settings);
    }

    public Options withTimeout(Duration t) {
      return new Options(durable, binDir, t, settings);
    }

    public Options withSetting(String name, String value) {
      Map<String, String> m = new LinkedHashMap<>(settings);
      m.put(name, value);
      return new Options(durable, binDir, timeout, m);
    }
  }

  /**
   * {@link #DEFAULT_BIN_DIR} (PostgreSQL 15) when it is installed; otherwise the newest
   * {@code /usr/lib/postgresql/<major>/bin} that has an initdb (so a newer distribution still
   * works); otherwise {@link #DEFAULT_BIN_DIR}, and {@link #start} says what to install.
   */
  public static Path defaultBinDir() {
    if (Files.isExecutable(DEFAULT_BIN_DIR.resolve("initdb"))) {
      return DEFAULT_BIN_DIR;
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (java.util.stream.Stream<Path> versions = Files.list(root)) {
        Optional<Path> newest = versions
            .filter(v -> v.getFileName().toString().matches("\\d+"))
            .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
            .max(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      } catch (IOException e) {
        // fall through to the default, whose absence start() reports clearly
      }
    }
    return DEFAULT_BIN_DIR;
  }

  private final Options options;
  private final Path baseDir;
  private final Path dataDir;
  private final List<String> asServiceUser;
  private final int port;
  private final long pid;
  private final Thread shutdownHook;
  private boolean closed;

  private LocalPostgres(
      Options options, Path baseDir, List<String> asServiceUser, int port, long pid) {
    this.options = options;
    this.baseDir = baseDir;
    this.dataDir = baseDir.resolve("data");
    this.asServiceUser = asServiceUser;
    this.port = port;
    this.pid = pid;
    this.shutdownHook = new Thread(this::stopQuietly, "local-postgres-shutdown-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a server with {@link Options#forTests()}. */
  public static LocalPostgres start() {
    return start(Options.forTests());
  }

  /**
   * Starts a server; returns once it accepts connections and {@code defaultdb} exists.
   *
   * @throws IllegalStateException if the binaries or the postgres user are missing, or a step
   *     fails (the message carries the command output and the server log)
   */
  public static LocalPostgres start(Options options) {
    for (String tool : List.of("initdb", "pg_ctl", "postgres", "createdb")) {
      if (!Files.isExecutable(options.binDir().resolve(tool))) {
        throw new IllegalStateException(
            "PostgreSQL 15 binaries not found (no executable " + options.binDir().resolve(tool)
                + "); install them with `apt-get install postgresql` (Debian/Ubuntu)");
      }
    }
    List<String> asServiceUser = serviceUserPrefix();
    Path base;
    try {
      base = Files.createTempDirectory("troupedb-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temp directory", e);
    }
    try {
      if (!asServiceUser.isEmpty()) {
        giveToServiceUser(base);
      }
      Path data = base.resolve("data");
      Duration t = options.timeout();
      LocalPostgresExec.runChecked(
          cmd(asServiceUser, options.binDir().resolve("initdb").toString(),
              "-D", data.toString(), "-U", USER, "--auth=trust", "--encoding=UTF8",
              "--locale=C", "--no-sync", "--no-instructions"),
          base, t);
      appendSettings(data.resolve("postgresql.conf"), settingsFor(options, base));
      IllegalStateException last = null;
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        int port = freePort();
        LocalPostgresExec.Output o = LocalPostgresExec.run(
            cmd(asServiceUser, options.binDir().resolve("pg_ctl").toString(),
                "-D", data.toString(), "-l", base.resolve("postgres.log").toString(),
                "-o", "-p " + port, "-w", "-t", Long.toString(t.toSeconds()), "-s", "start"),
            base, Map.of(), false, t.plusSeconds(10));
        if (o.exitCode() == 0) {
          long pid = readPostmasterPid(data);
          LocalPostgres pg = new LocalPostgres(options, base, asServiceUser, port, pid);
          try {
            LocalPostgresExec.runChecked(
                List.of(options.binDir().resolve("createdb").toString(),
                    "-h", HOST, "-p", Integer.toString(port), "-U", USER, DATABASE),
                base, t);
          } catch (RuntimeException e) {
            pg.close();
            throw e;
          }
          return pg;
        }
        // Most likely another process took the port between freePort() and bind: try another.
        last = new IllegalStateException(
            "pg_ctl start failed (exit " + o.exitCode() + ", port " + port + ")\n" + o.stderr()
                + "\nserver log:\n" + readLog(base));
      }
      throw last;
    } catch (RuntimeException e) {
      deleteTree(base);
      throw e;
    }
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  public String user() {
    return USER;
  }

  public String database() {
    return DATABASE;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/defaultdb?user=root} (no password: trust auth). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE + "?user=" + USER;
  }

  /** Process id of the postmaster. */
  public long pid() {
    return pid;
  }

  /** Directory holding the data directory, socket and log; deleted by {@link #close()}. */
  public Path baseDir() {
    return baseDir;
  }

  public Options options() {
    return options;
  }

  /** The server log so far (empty once closed). */
  public String log() {
    return readLog(baseDir);
  }

  /** Stops the server (fast shutdown, bounded wait) and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } finally {
      closed = true;
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // called from the hook itself or during JVM exit
      }
    }
  }

  private synchronized void stopQuietly() {
    if (!closed) {
      closed = true;
      try {
        stop();
      } catch (RuntimeException e) {
        System.err.println("LocalPostgres: stopping the server on port " + port + " failed: " + e);
      }
    }
  }

  private void stop() {
    try {
      LocalPostgresExec.Output o = LocalPostgresExec.run(
          cmd(asServiceUser, options.binDir().resolve("pg_ctl").toString(),
              "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30", "-s", "stop"),
          baseDir, Map.of(), false, Duration.ofSeconds(40));
      // pg_ctl -w returns once postmaster.pid is gone, a moment before the process has exited.
      if (o.exitCode() != 0 || !awaitPostmasterExit(Duration.ofSeconds(10))) {
        killPostmaster();
      }
    } catch (RuntimeException e) {
      killPostmaster();
    } finally {
      deleteTree(baseDir);
    }
  }

  private boolean awaitPostmasterExit(Duration bound) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty()) {
      return true;
    }
    try {
      h.get().onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  /** Last resort: the postmaster we started, by its pid. */
  private void killPostmaster() {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isPresent()) {
      h.get().destroyForcibly();
      try {
        h.get().onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // nothing more we can do; the directory is deleted regardless
      }
    }
  }

  private static Map<String, String> settingsFor(Options options, Path base) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("listen_addresses", "'" + HOST + "'");
    s.put("unix_socket_directories", "'" + base + "'");
    s.put("timezone", "'UTC'");
    s.put("log_timezone", "'UTC'");
    // SERIALIZABLE TPC-C (Stock-Level's range reads, Delivery's scans) can fill the default
    // predicate-lock table (64 per connection) while committed transactions still hold theirs;
    // PostgreSQL then fails every transaction with 53200 "out of shared memory".
    s.put("max_pred_locks_per_transaction", "512");
    if (!options.durable()) {
      s.put("fsync", "off");
      s.put("synchronous_commit", "off");
      s.put("full_page_writes", "off");
    }
    s.putAll(options.settings());
    return s;
  }

  private static void appendSettings(Path conf, Map<String, String> settings) {
    StringBuilder sb = new StringBuilder("\n# added by org.troupedb.testkit.LocalPostgres\n");
    settings.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
    try {
      // Appending keeps the file's owner (the service user) intact.
      Files.writeString(conf, sb, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + conf, e);
    }
  }

  private static List<String> cmd(List<String> prefix, String... args) {
    List<String> c = new ArrayList<>(prefix);
    c.addAll(List.of(args));
    return c;
  }

  /** Empty when not root; {@code runuser -u postgres --} when root. */
  private static List<String> serviceUserPrefix() {
    long uid = new com.sun.security.auth.module.UnixSystem().getUid();
    if (uid != 0) {
      return List.of();
    }
    LocalPostgresExec.Output id = LocalPostgresExec.run(
        List.of("id", "-u", SERVICE_USER), Path.of("/"), Map.of(), false, Duration.ofSeconds(10));
    if (id.exitCode() != 0) {
      throw new IllegalStateException(
          "running as root, but there is no '" + SERVICE_USER + "' system user to run PostgreSQL as"
              + " (PostgreSQL refuses to run as root); `apt-get install postgresql` creates it");
    }
    return List.of("runuser", "-u", SERVICE_USER, "--");
  }

  private static void giveToServiceUser(Path dir) {
    try {
      UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
      view.setOwner(lookup.lookupPrincipalByName(SERVICE_USER));
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(SERVICE_USER);
      view.setGroup(group);
    } catch (IOException e) {
      throw new UncheckedIOException("could not hand " + dir + " to user " + SERVICE_USER, e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not find a free port on " + HOST, e);
    }
  }

  private static long readPostmasterPid(Path data) {
    try {
      String first = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
      return Long.parseLong(first);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("server started but postmaster.pid is unreadable", e);
    }
  }

  private static String readLog(Path base) {
    Path log = base.resolve("postgres.log");
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      System.err.println("LocalPostgres: could not delete " + root + ": " + e);
    }
  }
}
