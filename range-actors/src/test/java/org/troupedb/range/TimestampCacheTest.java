package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;

class TimestampCacheTest {
  private static final UUID A = UUID.randomUUID();
  private static final UUID B = UUID.randomUUID();

  private final TimestampCache cache = new TimestampCache(ts(10), 4, 2);

  @Test
  void aNewIncarnationStartsAtNowPlusTheMaxOffset() {
    java.util.concurrent.atomic.AtomicLong physical = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
    java.time.Duration maxOffset = java.time.Duration.ofMillis(500);
    org.troupedb.hlc.HybridClock ours = new org.troupedb.hlc.HybridClock(physical::get, maxOffset);
    // The previous incarnation's node: ahead of ours by the max offset; it served a read at its now.
    org.troupedb.hlc.HybridClock theirs =
        new org.troupedb.hlc.HybridClock(() -> physical.get() + maxOffset.toNanos(), maxOffset);
    Timestamp servedThere = theirs.now();
    TimestampCache fresh = TimestampCache.forNewIncarnation(ours, 4, 2);
    assertThat(fresh.maxReadByOthers(b("any"), A)).isGreaterThanOrEqualTo(servedThere);
    assertThat(fresh.lowWater().wallTime()).isEqualTo(physical.get() + maxOffset.toNanos());
  }

  @Test
  void pointReadsPushOtherWritersButNotTheReader() {
    cache.recordPoint(b("k"), ts(50), A);
    // A different array with the same bytes is the same key.
    assertThat(cache.maxReadByOthers(b("k"), B)).isEqualTo(ts(50));
    assertThat(cache.maxReadByOthers(b("k"), A)).isEqualTo(ts(10));
    assertThat(cache.maxReadByOthers(b("other"), B)).isEqualTo(ts(10));
    cache.recordPoint(b("k"), ts(40), B); // older: keeps the newer read
    assertThat(cache.maxReadByOthers(b("k"), B)).isEqualTo(ts(50));
    cache.recordPoint(b("k"), ts(50), B); // same time by two readers: pushes both
    assertThat(cache.maxReadByOthers(b("k"), A)).isEqualTo(ts(50));
    assertThat(cache.maxReadByOthers(b("k"), B)).isEqualTo(ts(50));
  }

  @Test
  void readsBelowTheLowWaterMarkAreNotKept() {
    cache.recordPoint(b("k"), ts(5), A);
    assertThat(cache.maxReadByOthers(b("k"), B)).isEqualTo(ts(10));
  }

  @Test
  void tooManyPointsFoldIntoTheLowWaterMark() {
    for (int i = 0; i < 5; i++) {
      cache.recordPoint(b("k" + i), ts(20 + i), A);
    }
    assertThat(cache.lowWater()).isEqualTo(ts(24));
    assertThat(cache.maxReadByOthers(b("unrelated"), B)).isEqualTo(ts(24));
  }

  @Test
  void spansCoverTheirKeys() {
    cache.recordSpan(b("b"), b("d"), ts(30), A);
    assertThat(cache.maxReadByOthers(b("c"), B)).isEqualTo(ts(30));
    assertThat(cache.maxReadByOthers(b("d"), B)).isEqualTo(ts(10));
    assertThat(cache.maxReadByOthers(b("c"), A)).isEqualTo(ts(10));
  }

  @Test
  void forgetFromDropsTheRightHalfAndRaisesTheLowWaterMark() {
    cache.recordPoint(b("a"), ts(30), A);
    cache.recordPoint(b("m"), ts(60), A);
    cache.recordPoint(b("z"), ts(70), A);
    cache.forgetFrom(b("m"));
    assertThat(cache.lowWater()).isEqualTo(ts(70));
    assertThat(cache.maxReadByOthers(b("a"), B)).isEqualTo(ts(70));
    cache.recordPoint(b("m"), ts(80), A);
    assertThat(cache.maxReadByOthers(b("m"), B)).isEqualTo(ts(80));
    assertThat(cache.maxReadByOthers(b("a"), B)).isEqualTo(ts(70));
  }

  @Test
  void encodedIntegerKeysHashApart() {
    java.util.Set<Integer> hashes = new java.util.HashSet<>();
    for (int i = 0; i < 65_536; i++) {
      hashes.add(HashedKey.hash(new byte[] {0x12, (byte) 0x89, (byte) 0x80, 0, (byte) (i >>> 8), (byte) i}));
    }
    // Arrays.hashCode gives 8,161 distinct values here.
    assertThat(hashes.size()).isGreaterThan(65_000);
  }

  private static Timestamp ts(long wall) {
    return new Timestamp(wall, 0);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
