package org.troupedb.bench.listappend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.troupedb.bench.listappend.Anomaly.Kind;
import org.troupedb.bench.listappend.Txn.Append;
import org.troupedb.bench.listappend.Txn.Op;
import org.troupedb.bench.listappend.Txn.Outcome;
import org.troupedb.bench.listappend.Txn.Read;

/**
 * Histories of simulated in-memory databases with a known isolation level: a serial one must
 * pass, and snapshot isolation (first committer wins) must show write skew, G2, and nothing
 * else: SI prevents G0, G1 and G-single. Also a check that the checker copes with a long history.
 */
class SimulatedHistoriesTest {

  /** Runs {@code txns} transactions by {@code clients} interleaved clients under SI; clients = 1 is serial. */
  private static History snapshotIsolation(int txns, int clients, int keys, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    HistoryRecorder rec = new HistoryRecorder();
    Map<Integer, List<Long>> state = new HashMap<>(); // committed lists, immutable values
    Map<Integer, Integer> lastCommit = new HashMap<>();
    int commits = 0;
    long nextValue = 0;
    record Running(List<Op> ops, Map<Integer, List<Long>> snapshot, int startCommit, int invoked) {}
    Running[] slots = new Running[clients];
    int started = 0;
    int done = 0;
    while (done < txns) {
      int c = rnd.nextInt(clients);
      if (slots[c] == null) {
        if (started == txns) {
          continue;
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
          int k = rnd.nextInt(keys);
          ops.add(rnd.nextBoolean() ? new Append(k, ++nextValue) : new Read(k, null));
        }
        slots[c] = new Running(ops, new HashMap<>(state), commits, rec.invoke(c, ops));
        started++;
        continue;
      }
      Running t = slots[c];
      slots[c] = null;
      done++;
      Map<Integer, List<Long>> view = new HashMap<>(t.snapshot());
      List<Op> completed = new ArrayList<>();
      boolean conflict = false;
      for (Op op : t.ops()) {
        if (op instanceof Append a) {
          List<Long> l = new ArrayList<>(view.getOrDefault(a.key(), List.of()));
          l.add(a.value());
          view.put(a.key(), List.copyOf(l));
          conflict |= lastCommit.getOrDefault(a.key(), -1) >= t.startCommit();
          completed.add(a);
        } else {
          completed.add(new Read(op.key(), view.getOrDefault(op.key(), List.of())));
        }
      }
      if (conflict) {
        rec.complete(c, t.invoked(), Outcome.FAIL, t.ops());
        continue;
      }
      for (Op op : t.ops()) {
        if (op instanceof Append a) {
          List<Long> l = new ArrayList<>(state.getOrDefault(a.key(), List.of()));
          l.add(a.value());
          state.put(a.key(), List.copyOf(l));
          lastCommit.put(a.key(), commits);
        }
      }
      commits++;
      rec.complete(c, t.invoked(), Outcome.OK, completed);
    }
    List<Op> finalReads = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      finalReads.add(new Read(k, null));
    }
    int inv = rec.invoke(clients, finalReads);
    rec.complete(clients, inv, Outcome.OK,
        finalReads.stream().map(r -> (Op) new Read(r.key(), state.getOrDefault(r.key(), List.of()))).toList());
    return rec.history();
  }

  @Test
  void serialHistoryOfTenThousandTransactionsIsValid() {
    History h = snapshotIsolation(10_000, 1, 200, 1); // lists of about 40, as with key rotation
    long t0 = System.nanoTime();
    ListAppendChecker.Result r = ListAppendChecker.check(h);
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.valid()).isTrue();
    assertThat(r.committedNodes()).isEqualTo(10_001);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("checked " + h.txns().size() + " transactions in " + ms + " ms");
    assertThat(ms).as("checker time in ms").isLessThan(20_000);
  }

  @Test
  void snapshotIsolationShowsWriteSkewAndNothingElse() {
    History h = snapshotIsolation(5_000, 6, 8, 2);
    long t0 = System.nanoTime();
    ListAppendChecker.Result r = ListAppendChecker.check(h);
    System.out.println("checked " + h.txns().size() + " SI transactions in " + (System.nanoTime() - t0) / 1_000_000
        + " ms: " + r.counts() + (r.searchTruncated() ? " (G-single search cut short)" : ""));
    assertThat(h.count(Outcome.FAIL)).isPositive(); // first committer wins did abort some
    assertThat(r.counts()).containsKey(Kind.G2);
    assertThat(r.counts().keySet()).containsOnly(Kind.G2);
  }
}
