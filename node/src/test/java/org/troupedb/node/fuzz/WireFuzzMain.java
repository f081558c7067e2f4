package org.troupedb.node.fuzz;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The long fuzz campaign against a node process started for it (docs/fuzzing.md), from the test
 * classpath: {@code java -cp … org.troupedb.node.fuzz.WireFuzzMain}, with {@code
 * -Dtroupe.fuzz.node=127.0.0.1:PORT} (a fresh node: the tables are created, unless {@code
 * -Dtroupe.fuzz.setup=false}), and as {@code
 * PgWireFuzzIT} {@code troupe.fuzz.seed}, {@code .inputs}, {@code .seconds}, {@code .workers},
 * {@code .progress} (seconds between progress lines), {@code .good-pause-ms}, {@code .dir}
 * (findings). Prints the same summary line as the CI run; exits 1 if an invariant broke.
 */
public final class WireFuzzMain {
  private WireFuzzMain() {}

  public static void main(String[] args) throws Exception {
    String[] hostPort = System.getProperty("troupe.fuzz.node", "127.0.0.1:26257").split(":");
    InetSocketAddress node = new InetSocketAddress(InetAddress.getByName(hostPort[0]), Integer.parseInt(hostPort[1]));
    long seed = Long.getLong("troupe.fuzz.seed", System.currentTimeMillis());
    WireFuzzer.Settings settings = new WireFuzzer.Settings(Duration.ofSeconds(Long.getLong("troupe.fuzz.seconds", 3600)),
        Long.getLong("troupe.fuzz.inputs", 1_000_000), Integer.getInteger("troupe.fuzz.workers", 8), seed,
        Long.getLong("troupe.fuzz.only", -1), Duration.ofSeconds(Long.getLong("troupe.fuzz.progress", 30)));
    FuzzCampaign campaign = new FuzzCampaign(node,
        Files.createDirectories(Path.of(System.getProperty("troupe.fuzz.dir", "target/fuzz"))));
    if (Boolean.parseBoolean(System.getProperty("troupe.fuzz.setup", "true"))) {
      campaign.setup();
    }
    FuzzCampaign.Result r = campaign.run(settings, Long.getLong("troupe.fuzz.good-pause-ms", 0));
    System.out.println(r.line(seed));
    System.out.println("time per input: " + r.report().phases() + "; " + String.format("%.0f", r.report().inputsPerSecond())
        + " inputs/s; well-behaved row " + r.kept() + " (served " + r.served() + "); no locks left: updated "
        + r.unlocked() + " of " + WireFuzzer.rows() + " rows in " + r.unlockMillis() + " ms");
    r.report().findings().forEach(f -> System.out.println("finding: " + f));
    r.failures().forEach(f -> System.out.println("well-behaved client failure: " + f));
    System.exit(r.clean() ? 0 : 1);
  }
}
