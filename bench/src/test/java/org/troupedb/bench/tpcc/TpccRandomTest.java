package org.troupedb.bench.tpcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TpccRandomTest {

  private final TpccRandom r = new TpccRandom(1, CConstants.forLoad(1));

  @Test
  void nuRandStaysWithinBoundsForEveryConstant() {
    SplittableRandom sr = new SplittableRandom(7);
    for (int c = 0; c <= 1023; c += 31) {
      for (int i = 0; i < 2_000; i++) {
        assertThat(TpccRandom.nuRand(1023, c, 1, 3000, sr)).isBetween(1, 3000);
        assertThat(TpccRandom.nuRand(255, c % 256, 0, 999, sr)).isBetween(0, 999);
        assertThat(TpccRandom.nuRand(8191, c, 1, 100_000, sr)).isBetween(1, 100_000);
      }
    }
  }

  @Test
  void nuRandReachesBothEndsAndIsSkewed() {
    SplittableRandom sr = new SplittableRandom(11);
    int[] hits = new int[1000];
    int n = 1_000_000;
    for (int i = 0; i < n; i++) {
      hits[TpccRandom.nuRand(255, 123, 0, 999, sr)]++;
    }
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int h : hits) {
      min = Math.min(min, h);
      max = Math.max(max, h);
    }
    assertThat(min).as("every value is reachable").isPositive();
    // Uniform would give ~1000 each with max/min close to 1; the OR with random(0, 255) makes
    // values with many one bits in their low byte far more likely.
    assertThat((double) max / min).isGreaterThan(5);
    // Mean of the uniform part stays near the middle of the range.
    double mean = 0;
    for (int v = 0; v < 1000; v++) {
      mean += (double) v * hits[v] / n;
    }
    assertThat(mean).isBetween(400.0, 600.0);
  }

  @Test
  void nuRandMatchesTheClauseFormula() {
    // (((random(0,A) | random(x,y)) + C) % (y-x+1)) + x with the same two draws.
    SplittableRandom a = new SplittableRandom(3);
    SplittableRandom b = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      int left = b.nextInt(1024);
      int right = 1 + b.nextInt(3000);
      assertThat(TpccRandom.nuRand(1023, 259, 1, 3000, a)).isEqualTo(((left | right) + 259) % 3000 + 1);
    }
  }

  @Test
  void lastNamesAreBuiltFromTheSyllablesOfTheDigits() {
    assertThat(TpccRandom.lastName(0)).isEqualTo("BARBARBAR");
    assertThat(TpccRandom.lastName(371)).isEqualTo("PRICALLYOUGHT");
    assertThat(TpccRandom.lastName(999)).isEqualTo("EINGEINGEING");
    assertThat(TpccRandom.lastName(40)).isEqualTo("BARPRESBAR");
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String name = TpccRandom.lastName(i);
      assertThat(name.length()).isLessThanOrEqualTo(16); // fits C_LAST VARCHAR(16)
      all.add(name);
    }
    assertThat(all).hasSize(1000);
    assertThatThrownBy(() -> TpccRandom.lastName(1000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stringsHaveTheirLengthsAndAlphabets() {
    for (int i = 0; i < 1000; i++) {
      assertThat(r.aString(8, 16)).hasSizeBetween(8, 16).matches("[A-Za-z0-9]+");
      assertThat(r.nString(16, 16)).hasSize(16).matches("[0-9]+");
      assertThat(r.zip()).matches("[0-9]{4}11111");
    }
  }

  @Test
  void aboutTenPercentOfDataSaysOriginal() {
    int original = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String d = r.data();
      assertThat(d).hasSizeBetween(26, 50);
      if (d.contains("ORIGINAL")) {
        original++;
      }
    }
    assertThat((double) original / n).isBetween(0.09, 0.11);
  }

  @Test
  void decimalsStayInRangeWithTheirScale() {
    for (int i = 0; i < 1000; i++) {
      BigDecimal tax = r.decimal("0.0000", "0.2000", 4);
      assertThat(tax.scale()).isEqualTo(4);
      assertThat(tax).isBetween(BigDecimal.ZERO, new BigDecimal("0.2"));
    }
  }

  @Test
  void thinkTimeIsCappedAtTenTimesTheMean() {
    double sum = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      long ms = r.thinkMillis(5);
      assertThat(ms).isBetween(0L, 50_000L);
      sum += ms;
    }
    assertThat(sum / n).isBetween(4_500.0, 5_500.0);
  }

  @Test
  void runConstantForLastNamesKeepsTheRequiredDistanceFromTheLoadConstant() {
    for (long seed = 0; seed < 500; seed++) {
      CConstants load = CConstants.forLoad(seed);
      CConstants run = CConstants.forRun(load, seed);
      int delta = Math.abs(run.cLast() - load.cLast());
      assertThat(delta).isBetween(65, 119).isNotIn(96, 112);
      assertThat(run.cId()).isEqualTo(load.cId());
      assertThat(run.olIId()).isEqualTo(load.olIId());
    }
    assertThat(CConstants.validRunDelta(10, 106)).isFalse(); // delta 96
    assertThat(CConstants.validRunDelta(200, 88)).isFalse(); // delta 112
    assertThat(CConstants.validRunDelta(0, 65)).isTrue();
  }
}
