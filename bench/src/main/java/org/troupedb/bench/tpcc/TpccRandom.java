package org.troupedb.bench.tpcc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;

/**
 * The random generators of TPC-C 5.11: uniform {@code random(x, y)}, {@code NURand(A, x, y)}
 * (clause 2.1.6), customer last names from syllables (clause 4.3.2.3), a-strings and n-strings
 * (clause 4.3.2.2), zip codes (clause 4.3.2.7) and the 10% "ORIGINAL" data of I_DATA / S_DATA
 * (clause 4.3.3.1).
 *
 * <p>NB: not thread-safe; every loader task and terminal owns one.
 */
public final class TpccRandom {

  /** Clause 4.3.2.3: the syllable of each digit of a last-name number 000..999. */
  static final String[] SYLLABLES = {
    "BAR", "OUGHT", "ABLE", "PRI", "PRES", "ESE", "ANTI", "CALLY", "ATION", "EING"
  };

  private static final char[] ALPHANUMERIC =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  private final SplittableRandom random;
  private final CConstants c;

  public TpccRandom(long seed, CConstants c) {
    this.random = new SplittableRandom(seed);
    this.c = c;
  }

  public CConstants constants() {
    return c;
  }

  /** Uniform integer in [x, y], both inclusive. */
  public int uniform(int x, int y) {
    return x + random.nextInt(y - x + 1);
  }

  /** Uniform decimal in [min, max] with {@code scale} fraction digits, e.g. 0.0000..0.2000. */
  public BigDecimal decimal(String min, String max, int scale) {
    long lo = new BigDecimal(min).movePointRight(scale).longValueExact();
    long hi = new BigDecimal(max).movePointRight(scale).longValueExact();
    return BigDecimal.valueOf(lo + random.nextLong(hi - lo + 1), scale);
  }

  /** Negative exponential with the given mean, capped at 10 × mean (clause 5.2.5.4), in ms. */
  public long thinkMillis(double meanSeconds) {
    double r = Math.max(random.nextDouble(), 1e-12);
    double s = Math.min(-Math.log(r) * meanSeconds, 10 * meanSeconds);
    return Math.round(s * 1000);
  }

  /** Clause 2.1.6: {@code (((random(0, A) | random(x, y)) + C) % (y - x + 1)) + x}. */
  static int nuRand(int a, int cValue, int x, int y, SplittableRandom r) {
    int left = r.nextInt(a + 1);
    int right = x + r.nextInt(y - x + 1);
    return (((left | right) + cValue) % (y - x + 1)) + x;
  }

  /** NURand(1023, 1, customers) for C_ID. */
  public int customerId(int customers) {
    return nuRand(1023, c.cId(), 1, customers, random);
  }

  /** NURand(8191, 1, items) for OL_I_ID. */
  public int itemId(int items) {
    return nuRand(8191, c.olIId(), 1, items, random);
  }

  /**
   * NURand(255, 0, 999) for the number of a C_LAST, bounded by {@code maxNumber} (999 at spec
   * scale; smaller only for the non-spec test scale, so every generated name exists).
   */
  public int lastNameNumber(int maxNumber) {
    return nuRand(255, c.cLast(), 0, maxNumber, random);
  }

  /** Clause 4.3.2.3: the syllables of the three digits of {@code number} (0..999). */
  public static String lastName(int number) {
    if (number < 0 || number > 999) {
      throw new IllegalArgumentException("last-name number out of 0..999: " + number);
    }
    return SYLLABLES[number / 100] + SYLLABLES[number / 10 % 10] + SYLLABLES[number % 10];
  }

  /** Random alphanumeric string with a length in [min, max]. */
  public String aString(int min, int max) {
    int len = uniform(min, max);
    char[] s = new char[len];
    for (int i = 0; i < len; i++) {
      s[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
    }
    return new String(s);
  }

  /** Random numeric string with a length in [min, max]. */
  public String nString(int min, int max) {
    int len = uniform(min, max);
    char[] s = new char[len];
    for (int i = 0; i < len; i++) {
      s[i] = (char) ('0' + random.nextInt(10));
    }
    return new String(s);
  }

  /** Clause 4.3.2.7: four random digits followed by "11111". */
  public String zip() {
    return nString(4, 4) + "11111";
  }

  /** I_DATA / S_DATA: a-string [26..50], in 10% of rows with "ORIGINAL" at a random position. */
  public String data() {
    String s = aString(26, 50);
    if (uniform(1, 10) != 1) {
      return s;
    }
    int at = uniform(0, s.length() - 8);
    return s.substring(0, at) + "ORIGINAL" + s.substring(at + 8);
  }

  /** Uniform integer in [1, 100], for the percentages of the transaction profiles. */
  public int percent() {
    return uniform(1, 100);
  }

  /** Rounds money the way the columns store it. */
  static BigDecimal money(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_UP);
  }
}
