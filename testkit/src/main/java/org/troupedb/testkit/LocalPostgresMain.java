package org.troupedb.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@link LocalPostgres} from the command line for scripts (e.g. {@code ops/bench-*}):
 * prints {@code READY <jdbcUrl>} on stdout once the server accepts connections, then keeps it up
 * until the JVM is terminated (SIGTERM / SIGINT: a shutdown hook stops the server and deletes its
 * directory) or the maximum lifetime has passed.
 *
 * <pre>
 *   java -cp testkit/target/classes org.troupedb.testkit.LocalPostgresMain [--durable]
 *       [--max-lifetime-seconds N]   (default 7200)
 * </pre>
 *
 * <p>Only needs the JDK and the PostgreSQL binaries on the class path side: no dependencies.
 */
public final class LocalPostgresMain {

  private LocalPostgresMain() {}

  public static void main(String[] args) throws InterruptedException {
    boolean durable = false;
    long maxLifetime = 7200;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--durable" -> durable = true;
        case "--max-lifetime-seconds" -> maxLifetime = Long.parseLong(args[++i]);
        case "-h", "--help" -> {
          System.out.println("usage: LocalPostgresMain [--durable] [--max-lifetime-seconds N]");
          return;
        }
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
        }
      }
    }
    LocalPostgres pg = LocalPostgres.start(
        LocalPostgres.Options.forTests().withDurable(durable).withTimeout(Duration.ofSeconds(120)));
    CountDownLatch never = new CountDownLatch(1);
    // LocalPostgres registers its own shutdown hook, which stops the server on SIGTERM / SIGINT.
    System.out.println("READY " + pg.jdbcUrl());
    System.out.flush();
    if (!never.await(maxLifetime, TimeUnit.SECONDS)) {
      System.err.println("LocalPostgresMain: maximum lifetime reached, stopping");
    }
    pg.close();
  }
}
