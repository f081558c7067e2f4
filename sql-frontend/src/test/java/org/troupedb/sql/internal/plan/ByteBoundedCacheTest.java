package org.troupedb.sql.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The plan and statement caches are bounded by estimated bytes and keep the entries read recently. */
class ByteBoundedCacheTest {

  @Test
  void staysWithinItsBytesWhateverTheNumberOfEntries() {
    ByteBoundedCache<String, String> c = new ByteBoundedCache<>(10_000, (k, v) -> (long) v.length());
    for (int i = 0; i < 1000; i++) {
      c.put("k" + i, "x".repeat(100));
      assertThat(c.bytes()).isLessThanOrEqualTo(10_000);
    }
    assertThat(c.size()).isEqualTo(100);
    // one big entry costs as much as many small ones
    c.put("big", "y".repeat(5_000));
    assertThat(c.bytes()).isLessThanOrEqualTo(10_000);
    assertThat(c.get("big")).hasSize(5_000);
    assertThat(c.size()).isEqualTo(51);
    c.clear();
    assertThat(c.bytes()).isZero();
    assertThat(c.size()).isZero();
  }

  @Test
  void anEntryReadSinceItWasLastPassedOverStays() {
    ByteBoundedCache<String, String> c = new ByteBoundedCache<>(1_000, (k, v) -> 100L);
    for (int i = 0; i < 10; i++) {
      c.put("k" + i, "v");
    }
    assertThat(c.get("k0")).isEqualTo("v"); // hot
    for (int i = 10; i < 15; i++) {
      c.put("k" + i, "v");
    }
    assertThat(c.get("k0")).as("the hot entry").isEqualTo("v");
    assertThat(c.get("k1")).as("the oldest cold entry").isNull();
    assertThat(c.bytes()).isEqualTo(1_000);
  }

  @Test
  void aPendingValueIsWeighedAgainOnceComplete() {
    ByteBoundedCache<String, CompletableFuture<String>> c = new ByteBoundedCache<>(1_000_000,
        (k, f) -> f.isDone() ? 1_000L + f.join().length() : 10L);
    CompletableFuture<String> f = new CompletableFuture<>();
    assertThat(c.putIfAbsent("q", f)).isNull();
    assertThat(c.bytes()).isEqualTo(10);
    assertThat(c.putIfAbsent("q", new CompletableFuture<>())).isSameAs(f);
    f.complete("plan");
    c.reweigh("q");
    assertThat(c.bytes()).isEqualTo(1_004);
    c.remove("q", f);
    assertThat(c.bytes()).isZero();
  }
}
