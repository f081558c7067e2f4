package org.troupedb.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * How long clients could not work after a node was killed, from what each transaction attempt
 * saw ({@link BankWorkload.Attempt}). A serialization failure (40001, 40P01) is ordinary
 * contention, not unavailability; every other failure is.
 *
 * @param firstFailureMillis kill → the first failed statement (-1: none failed)
 * @param unavailableMillis the first failed statement → the first transaction that started after
 *     it and succeeded (the measure; -1 when nothing failed)
 * @param servingAgainAfterKillMillis kill → the first success, after the last failure, of a
 *     transaction that started no earlier than the last failed one (from then on nothing failed;
 *     -1: none)
 * @param longestGapMillis the longest time after the kill in which no transaction succeeded
 * @param failures failed attempts after the kill
 */
record Unavailability(long firstFailureMillis, long unavailableMillis, long servingAgainAfterKillMillis,
    long longestGapMillis, int failures) {

  static Unavailability of(Collection<BankWorkload.Attempt> attempts, long killNanos) {
    List<BankWorkload.Attempt> failed = new ArrayList<>();
    List<BankWorkload.Attempt> ok = new ArrayList<>();
    for (BankWorkload.Attempt a : attempts) {
      if (a.ok()) {
        ok.add(a);
      } else if (a.endNanos() >= killNanos && !"40001".equals(a.sqlState()) && !"40P01".equals(a.sqlState())) {
        failed.add(a);
      }
    }
    ok.sort(Comparator.comparingLong(BankWorkload.Attempt::endNanos));
    long firstFailure = failed.stream().mapToLong(BankWorkload.Attempt::endNanos).min().orElse(-1);
    long unavailable = -1;
    if (firstFailure >= 0) {
      unavailable = ok.stream().filter(a -> a.startNanos() >= firstFailure).mapToLong(BankWorkload.Attempt::endNanos)
          .min().stream().map(t -> t - firstFailure).findFirst().orElse(-1);
    }
    // A failed attempt may have started before the kill (and waited for the dead node since).
    long lastFailedStart = failed.stream().mapToLong(BankWorkload.Attempt::startNanos).max().orElse(killNanos);
    long lastFailedEnd = failed.stream().mapToLong(BankWorkload.Attempt::endNanos).max().orElse(killNanos);
    long servingAgain = ok.stream().filter(a -> a.startNanos() >= lastFailedStart && a.endNanos() >= lastFailedEnd)
        .mapToLong(BankWorkload.Attempt::endNanos).min().stream().map(t -> t - killNanos).findFirst().orElse(-1);
    long gap = 0;
    long prev = killNanos;
    for (BankWorkload.Attempt a : ok) {
      if (a.endNanos() > killNanos) {
        gap = Math.max(gap, a.endNanos() - prev);
        prev = a.endNanos();
      }
    }
    return new Unavailability(millis(firstFailure >= 0 ? firstFailure - killNanos : -1_000_000),
        millis(unavailable >= 0 ? unavailable : -1_000_000), millis(servingAgain >= 0 ? servingAgain : -1_000_000),
        millis(gap), failed.size());
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  @Override
  public String toString() {
    return String.format("first failure %d ms after the kill; unavailable %d ms (first failure to the first"
            + " success started after it); all transactions succeed again %d ms after the kill; longest time"
            + " without a commit after the kill %d ms; %d failed attempts", firstFailureMillis, unavailableMillis,
        servingAgainAfterKillMillis, longestGapMillis, failures);
  }
}
