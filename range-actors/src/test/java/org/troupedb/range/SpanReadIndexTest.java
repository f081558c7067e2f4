package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;

/** {@link SpanReadIndex} and the {@link TimestampCache} using it, against the linear scan they replace. */
class SpanReadIndexTest {
  private static final UUID[] TXNS = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null};

  /** The span list and scan TimestampCache had before SpanReadIndex, with its low-water folding. */
  private static final class LinearSpans {
    private record SpanRead(byte[] start, byte[] end, Timestamp ts, UUID txnId) {}

    private final List<SpanRead> spans = new ArrayList<>();
    private final int maxSpans;
    private Timestamp lowWater;

    LinearSpans(Timestamp lowWater, int maxSpans) {
      this.lowWater = lowWater;
      this.maxSpans = maxSpans;
    }

    void recordSpan(byte[] start, byte[] end, Timestamp ts, UUID txnId) {
      if (ts.compareTo(lowWater) <= 0) {
        return;
      }
      spans.add(new SpanRead(start, end, ts, txnId));
      if (spans.size() > maxSpans) {
        for (SpanRead r : spans) {
          lowWater = Timestamp.max(lowWater, r.ts);
        }
        spans.clear();
      }
    }

    Timestamp maxReadByOthers(byte[] key, UUID txnId) {
      Timestamp max = lowWater;
      for (SpanRead s : spans) {
        if (s.ts.compareTo(max) > 0 && !txnId.equals(s.txnId) && Keys.inSpan(key, s.start, s.end)) {
          max = s.ts;
        }
      }
      return max;
    }
  }

  @Test
  void answersAsTheLinearScanOnRandomSpans() {
    for (long seed = 0; seed < 40; seed++) {
      Random r = new Random(seed);
      int maxSpans = 1 + r.nextInt(64);
      TimestampCache cache = new TimestampCache(ts(10), 1_000, maxSpans);
      LinearSpans linear = new LinearSpans(ts(10), maxSpans);
      for (int op = 0; op < 400; op++) {
        byte[] start = key(r);
        byte[] end = r.nextInt(10) == 0 ? null : key(r); // sometimes unbounded, sometimes empty or inverted
        Timestamp t = new Timestamp(r.nextInt(200), r.nextInt(3));
        UUID txn = TXNS[r.nextInt(TXNS.length)];
        cache.recordSpan(start, end, t, txn);
        linear.recordSpan(start, end, t, txn);
        if (r.nextInt(50) == 0) {
          Timestamp lw = ts(r.nextInt(120));
          cache.forwardLowWater(lw);
          linear.lowWater = Timestamp.max(linear.lowWater, lw);
        }
        for (int q = 0; q < 8; q++) {
          byte[] k = key(r);
          UUID asker = TXNS[r.nextInt(TXNS.length - 1)];
          assertThat(cache.maxReadByOthers(k, asker))
              .as("seed %d op %d key %s", seed, op, Keys.toString(k))
              .isEqualTo(linear.maxReadByOthers(k, asker));
        }
      }
    }
  }

  @Test
  void aSegmentKeepsTheBestReadOfAnotherTransaction() {
    SpanReadIndex index = new SpanReadIndex();
    UUID a = TXNS[0];
    UUID b = TXNS[1];
    index.record(k(1), k(9), ts(50), a);
    index.record(k(3), k(5), ts(40), b);
    index.record(k(4), null, ts(60), a);
    assertThat(index.maxReadByOthers(k(4), a)).isEqualTo(ts(40));
    assertThat(index.maxReadByOthers(k(4), b)).isEqualTo(ts(60));
    assertThat(index.maxReadByOthers(k(2), a)).isNull();
    assertThat(index.maxReadByOthers(k(2), b)).isEqualTo(ts(50));
    assertThat(index.maxReadByOthers(k(0), b)).isNull();
    assertThat(index.maxReadByOthers(k(200), b)).isEqualTo(ts(60));
    assertThat(index.size()).isEqualTo(3);
    assertThat(index.maxTs()).isEqualTo(ts(60));
  }

  /** Keys of zero to two bytes from a small alphabet, so that spans overlap, nest and touch. */
  private static byte[] key(Random r) {
    byte[] k = new byte[r.nextInt(3)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (r.nextInt(6) * 50);
    }
    return k;
  }

  private static byte[] k(int b) {
    return new byte[] {(byte) b};
  }

  private static Timestamp ts(long wall) {
    return new Timestamp(wall, 0);
  }
}
