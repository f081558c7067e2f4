package org.troupedb.bench.listappend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.troupedb.bench.listappend.Anomaly.Kind;
import org.troupedb.bench.listappend.CycleSearch.Step;
import org.troupedb.bench.listappend.DependencyGraph.EdgeType;
import org.troupedb.bench.listappend.DependencyGraph.KeyRead;
import org.troupedb.bench.listappend.DependencyGraph.Writer;
import org.troupedb.bench.listappend.Txn.Append;
import org.troupedb.bench.listappend.Txn.Op;
import org.troupedb.bench.listappend.Txn.Outcome;

/**
 * Checks a list-append history for serializability violations and reports them readably: G1a,
 * G1b, lost appends and incompatible orders directly from the reads; G0, G1c, G-single and G2 by
 * classifying one short cycle per strongly connected component of the dependency graph.
 *
 * <pre>
 *   per component C of the full graph (ww+wr+rw):
 *     cycle of ww only?                 -> G0
 *     else cycle of ww+wr?              -> G1c
 *     else cycle with exactly one rw?   -> G-single
 *     else (every cycle has >= 2 rw)    -> G2
 * </pre>
 */
public final class ListAppendChecker {

  private static final int WW = EdgeType.WW.bit;
  private static final int WR = EdgeType.WR.bit;
  private static final int ALL = EdgeType.WW.bit | EdgeType.WR.bit | EdgeType.RW.bit;

  private ListAppendChecker() {}

  /** The checker's verdict: the anomalies found and some size figures of what it looked at. */
  public record Result(List<Anomaly> anomalies, int txns, int committedNodes, long edges, int keys,
      boolean searchTruncated) {

    public boolean valid() {
      return anomalies.isEmpty() && !searchTruncated;
    }

    /** Anomaly counts by kind, in the kinds' order. */
    public Map<Kind, Long> counts() {
      Map<Kind, Long> m = new EnumMap<>(Kind.class);
      for (Anomaly a : anomalies) {
        m.merge(a.kind(), 1L, Long::sum);
      }
      return m;
    }

    /** A readable report: counts, then each anomaly (at most {@code limit} per kind). */
    public String report(int limit) {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("checked %d transactions (%d committed in the graph, %d edges, %d keys)%n",
          txns, committedNodes, edges, keys));
      if (searchTruncated) {
        sb.append("NB: the G-single search hit its budget: some cycles reported as G2 may hide a G-single\n");
      }
      if (anomalies.isEmpty()) {
        sb.append("no anomalies\n");
        return sb.toString();
      }
      sb.append("anomalies: ").append(counts().entrySet().stream()
          .map(e -> e.getKey().label() + "=" + e.getValue()).collect(Collectors.joining(", "))).append('\n');
      Map<Kind, Integer> shown = new EnumMap<>(Kind.class);
      for (Anomaly a : anomalies) {
        if (shown.merge(a.kind(), 1, Integer::sum) <= limit) {
          sb.append(a).append('\n');
        }
      }
      return sb.toString();
    }
  }

  public static Result check(History history) {
    DependencyGraph g = DependencyGraph.infer(history);
    List<Anomaly> anomalies = new ArrayList<>(g.orderAnomalies());
    anomalies.addAll(abortedAndIntermediateReads(g));
    anomalies.addAll(lostAppends(g));
    CycleSearch search = new CycleSearch(g);
    anomalies.addAll(cycles(g, search));
    int nodes = (int) history.txns().stream().filter(t -> g.isNode(t.id())).count();
    return new Result(anomalies, history.txns().size(), nodes, g.edgeCount(), g.versionOrders().size(),
        search.truncated());
  }

  /** G1a (a committed read saw a failed append) and G1b (it ended in a non-final append of its writer). */
  static List<Anomaly> abortedAndIntermediateReads(DependencyGraph g) {
    List<Anomaly> found = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (Map.Entry<Integer, List<KeyRead>> e : g.readsByKey().entrySet()) {
      int key = e.getKey();
      for (KeyRead kr : e.getValue()) {
        List<Long> values = kr.read().values();
        for (Long v : values) {
          Writer w = g.writer(v);
          if (w != null && g.history().txn(w.txn()).outcome() == Outcome.FAIL
              && reported.add("G1a " + kr.txn() + " " + w.txn())) {
            found.add(new Anomaly(Kind.G1A, List.of(kr.txn(), w.txn()),
                "T" + kr.txn() + " read key " + key + " = " + values + ", which holds " + v
                    + ", appended by T" + w.txn() + " that failed\n" + g.history().txn(w.txn()).describe()));
          }
        }
        if (!values.isEmpty()) {
          long last = values.get(values.size() - 1);
          Writer w = g.writer(last);
          if (w != null && w.key() == key && !w.finalAppendToKey() && w.txn() != kr.txn()) {
            found.add(new Anomaly(Kind.G1B, List.of(kr.txn(), w.txn()),
                "T" + kr.txn() + " read key " + key + " = " + values + ", ending in " + last
                    + ", but T" + w.txn() + " appended more to key " + key + " after it\n"
                    + g.history().txn(w.txn()).describe()));
          }
        }
      }
    }
    return found;
  }

  /**
   * Acknowledged appends missing from a read of their key that was invoked after the append's
   * transaction completed (the workload's final reads are such reads for every key).
   */
  static List<Anomaly> lostAppends(DependencyGraph g) {
    List<Anomaly> found = new ArrayList<>();
    Map<Integer, List<Txn>> appendersByKey = new HashMap<>();
    for (Txn t : g.history().txns()) {
      if (t.outcome() == Outcome.OK) {
        t.ops().stream().filter(op -> op instanceof Append).map(Op::key).distinct()
            .forEach(k -> appendersByKey.computeIfAbsent(k, x -> new ArrayList<>()).add(t));
      }
    }
    for (Map.Entry<Integer, List<KeyRead>> e : g.readsByKey().entrySet()) {
      int key = e.getKey();
      List<KeyRead> reads = e.getValue().stream().filter(KeyRead::prefix)
          .sorted(Comparator.comparingInt(kr -> g.history().txn(kr.txn()).invokeIndex())).toList();
      int[] invoked = reads.stream().mapToInt(kr -> g.history().txn(kr.txn()).invokeIndex()).toArray();
      // shortestFrom[i]: the read with the fewest elements among reads[i..]
      int[] shortestFrom = new int[reads.size() + 1];
      shortestFrom[reads.size()] = -1;
      for (int i = reads.size() - 1; i >= 0; i--) {
        int j = shortestFrom[i + 1];
        shortestFrom[i] = j >= 0 && reads.get(j).read().values().size() <= reads.get(i).read().values().size() ? j : i;
      }
      List<Long> order = g.versionOrders().get(key);
      Map<Long, Integer> position = new HashMap<>();
      for (int i = 0; i < order.size(); i++) {
        position.put(order.get(i), i);
      }
      for (Txn t : appendersByKey.getOrDefault(key, List.of())) {
        for (Op op : t.ops()) {
          if (!(op instanceof Append a) || a.key() != key) {
            continue;
          }
          int first = firstAfter(invoked, t.completeIndex());
          if (first >= reads.size()) {
            continue; // no read of this key began after the append was acknowledged
          }
          KeyRead shortest = reads.get(shortestFrom[first]);
          Integer pos = position.get(a.value());
          if (pos == null || shortest.read().values().size() <= pos) {
            found.add(new Anomaly(Kind.LOST_APPEND, List.of(t.id(), shortest.txn()),
                "T" + t.id() + " appended " + a.value() + " to key " + key + " and committed, but T"
                    + shortest.txn() + ", which began after that, read key " + key + " = "
                    + shortest.read().values() + " without it"));
          }
        }
      }
    }
    return found;
  }

  private static int firstAfter(int[] sorted, int index) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] > index) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static List<Anomaly> cycles(DependencyGraph g, CycleSearch search) {
    List<Anomaly> found = new ArrayList<>();
    for (int[] component : search.components(null, ALL)) {
      Anomaly a = classify(g, search, component);
      if (a != null) {
        found.add(a);
      }
    }
    return found;
  }

  private static Anomaly classify(DependencyGraph g, CycleSearch search, int[] component) {
    List<Step> cycle = firstCycle(search, search.components(component, WW), WW);
    Kind kind = Kind.G0;
    if (cycle == null) {
      cycle = firstCycle(search, search.components(component, WW | WR), WW | WR);
      kind = Kind.G1C;
    }
    if (cycle == null) {
      cycle = search.shortCycleWithOne(component, EdgeType.RW, WW | WR);
      kind = Kind.G_SINGLE;
    }
    if (cycle == null) {
      cycle = search.shortCycle(component, ALL);
      kind = Kind.G2;
    }
    if (cycle == null) {
      throw new IllegalStateException("no cycle found in a strongly connected component"); // a bug
    }
    StringBuilder why = new StringBuilder();
    List<Integer> txns = new ArrayList<>();
    for (Step s : cycle) {
      txns.add(s.from());
      why.append(g.reason(s.from(), s.to(), s.type())).append(" (").append(s.type().name().toLowerCase())
          .append(")\n");
    }
    why.append("so T").append(cycle.get(0).from()).append(" must both precede and follow itself (")
        .append(component.length).append(" transactions depend on each other in this component):");
    for (int t : txns) {
      why.append("\n  ").append(g.history().txn(t).describe());
    }
    return new Anomaly(kind, txns, why.toString());
  }

  private static List<Step> firstCycle(CycleSearch search, List<int[]> subComponents, int mask) {
    List<Step> best = null;
    for (int[] sub : subComponents) {
      List<Step> c = search.shortCycle(sub, mask);
      if (c != null && (best == null || c.size() < best.size())) {
        best = c;
      }
    }
    return best;
  }
}
