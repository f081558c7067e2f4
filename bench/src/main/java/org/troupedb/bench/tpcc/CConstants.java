package org.troupedb.bench.tpcc;

import java.util.SplittableRandom;

/**
 * The run-time constants C of NURand (clause 2.1.6): one each for C_LAST (A = 255), C_ID (A =
 * 1023) and OL_I_ID (A = 8191).
 *
 * <p>Clause 2.1.6.1: the C_LAST constant used to measure ({@code C_run}) must differ from the one
 * used to load ({@code C_load}) by a delta in [65..119], neither 96 nor 112; C_ID and OL_I_ID may
 * keep theirs. The loader derives {@code C_load} from its seed and the run derives {@code C_run}
 * from {@code C_load}, so `init` and `run` given the same {@code --seed} satisfy the rule without
 * storing anything in the database.
 */
public record CConstants(int cLast, int cId, int olIId) {

  public CConstants {
    check(cLast, 255, "C for C_LAST");
    check(cId, 1023, "C for C_ID");
    check(olIId, 8191, "C for OL_I_ID");
  }

  /** The constants for loading, drawn from {@code seed}. */
  public static CConstants forLoad(long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x7C0C0C0CL);
    return new CConstants(r.nextInt(256), r.nextInt(1024), r.nextInt(8192));
  }

  /** The constants for a run after a load with {@code load}, per clause 2.1.6.1. */
  public static CConstants forRun(CConstants load, long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x52554EL);
    while (true) {
      int candidate = r.nextInt(256);
      if (validRunDelta(load.cLast(), candidate)) {
        return new CConstants(candidate, load.cId(), load.olIId());
      }
    }
  }

  /** Clause 2.1.6.1: |C_run - C_load| in [65..119], and neither 96 nor 112. */
  public static boolean validRunDelta(int cLoad, int cRun) {
    int delta = Math.abs(cRun - cLoad);
    return delta >= 65 && delta <= 119 && delta != 96 && delta != 112;
  }

  private static void check(int v, int a, String what) {
    if (v < 0 || v > a) {
      throw new IllegalArgumentException(what + " must be within 0.." + a + ": " + v);
    }
  }
}
