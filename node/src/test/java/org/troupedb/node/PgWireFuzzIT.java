package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.troupedb.node.fuzz.FuzzCampaign;
import org.troupedb.node.fuzz.WireFuzzer;

/**
 * Issue 17's pgwire fuzzer against a live in-process node ({@link WireFuzzer}; docs/fuzzing.md):
 * mutated pgjdbc, psql and pgbench traffic, one input per connection, while a well-behaved client
 * keeps running statements ({@link FuzzCampaign}). Invariants: the node keeps serving (every one
 * of the well-behaved client's statements succeeds, and nothing it committed is lost); every fuzzed
 * connection ends with an ErrorResponse and a close, or keeps working; no internal error or Java
 * text reaches a client; afterwards no session holds a lock on the rows the fuzz clients updated.
 *
 * <p>CI runs {@link #fuzzForABoundedTime} ({@code troupe.fuzz.seconds}, 40 by default); the long
 * run is {@link #fuzzAMillionInputs}, tagged {@code slow}, or {@code WireFuzzMain} against a node
 * process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgWireFuzzIT extends InProcessNodeFixture {
  private FuzzCampaign campaign;

  @BeforeAll
  void tables() throws Exception {
    // Under target/, not the temporary directory: a finding's bytes outlive the test.
    campaign = new FuzzCampaign(node.pgAddress(), Files.createDirectories(Path.of("target", "fuzz")));
    campaign.setup();
  }

  @Test
  void fuzzForABoundedTime() throws Exception {
    // A fixed seed in CI (the same mutations every run); the long run takes a new one each time.
    fuzz(Duration.ofSeconds(Long.getLong("troupe.fuzz.seconds", 40)), Long.getLong("troupe.fuzz.inputs", Long.MAX_VALUE),
        Long.getLong("troupe.fuzz.seed", 7));
  }

  @Test
  @Tag("slow")
  void fuzzAMillionInputs() throws Exception {
    fuzz(Duration.ofSeconds(Long.getLong("troupe.fuzz.seconds", 6 * 3600)), Long.getLong("troupe.fuzz.inputs", 1_000_000),
        Long.getLong("troupe.fuzz.seed", System.currentTimeMillis()));
  }

  private void fuzz(Duration budget, long inputs, long seed) throws Exception {
    WireFuzzer.Settings settings = new WireFuzzer.Settings(budget, inputs, Integer.getInteger("troupe.fuzz.workers", 4),
        seed, Long.getLong("troupe.fuzz.only", -1), Duration.ofSeconds(Long.getLong("troupe.fuzz.progress", 0)));
    FuzzCampaign.Result r = campaign.run(settings, Long.getLong("troupe.fuzz.good-pause-ms", 0));
    System.out.println(r.line(seed));
    System.out.println("time per input: " + r.report().phases() + "; " + String.format("%.0f", r.report().inputsPerSecond())
        + " inputs/s; no locks left: updated " + r.unlocked() + " rows in " + r.unlockMillis() + " ms");
    assertThat(r.report().findings()).as("findings (reproduce with -Dtroupe.fuzz.seed=" + seed
        + " -Dtroupe.fuzz.only=<input>)").isEmpty();
    assertThat(r.report().inputs()).isPositive();
    assertThat(r.failures()).as("the well-behaved client's statements").isEmpty();
    assertThat(r.served()).isPositive();
    assertThat(r.kept()).as("every increment kept").isEqualTo(r.served());
    assertThat(r.unlocked()).as("fuzz rows a fresh session could update (no lock left)").isEqualTo(WireFuzzer.rows());
  }
}
