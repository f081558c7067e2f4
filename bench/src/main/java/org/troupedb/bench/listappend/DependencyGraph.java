package org.troupedb.bench.listappend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.troupedb.bench.listappend.Txn.Append;
import org.troupedb.bench.listappend.Txn.Op;
import org.troupedb.bench.listappend.Txn.Outcome;
import org.troupedb.bench.listappend.Txn.Read;

/**
 * Infers from a list-append history each key's version order and the dependency edges between
 * committed transactions, as Elle defines them for lists:
 *
 * <pre>
 *   version order of k = the longest committed read of k; every other read must be a prefix of it
 *   ww  T1 -> T2   T2 appended the element that directly follows T1's element in the order of k
 *   wr  T1 -> T2   T2 read k and the last element it saw (not counting its own appends) is T1's
 *   rw  T1 -> T2   T1 read k and the first element after what it saw that another transaction than
 *                  the last seen element's writer appended is T2's (T1 missed T2's version)
 * </pre>
 *
 * <p>Nodes are the committed transactions: ok ones, and info ones whose appends some read saw.
 * Reads that are not a prefix of the version order are reported ({@link #orderAnomalies()}) and
 * give no edges. NB: an element a failed transaction appended is kept in the order (it is what the
 * database returned) but gives no edges; the checker reports it as G1a.
 */
public final class DependencyGraph {

  /** Dependency kinds, as bits of an edge mask. */
  public enum EdgeType {
    WW(1), WR(2), RW(4);

    public final int bit;

    EdgeType(int bit) {
      this.bit = bit;
    }
  }

  /** Who appended a value: the transaction, the key, and whether it was that transaction's last append to the key. */
  public record Writer(int txn, int key, boolean finalAppendToKey) {}

  /** A committed read of a key, with the transaction that made it and whether it is a prefix of the version order. */
  public record KeyRead(int txn, Read read, boolean prefix) {}

  private final History history;
  private final Map<Long, Writer> writers = new HashMap<>();
  private final Map<Integer, List<Long>> versionOrders = new TreeMap<>();
  private final Map<Integer, List<KeyRead>> readsByKey = new TreeMap<>();
  private final List<Anomaly> orderAnomalies = new ArrayList<>();
  private final Set<Integer> nodes = new HashSet<>();
  /** Per source transaction: target transaction -> edge mask. */
  private final List<Map<Integer, Integer>> out;
  /** Per (from, to, type): the first reason found, for reports. */
  private final Map<String, String> reasons = new HashMap<>();

  private DependencyGraph(History history) {
    this.history = history;
    this.out = new ArrayList<>(Collections.nCopies(history.txns().size(), null));
  }

  /** Infers version orders and edges of {@code history}. */
  public static DependencyGraph infer(History history) {
    DependencyGraph g = new DependencyGraph(history);
    g.indexWriters();
    g.inferVersionOrders();
    g.addEdges();
    return g;
  }

  public History history() {
    return history;
  }

  /** The transaction that appended {@code value}, or null if none did. */
  public Writer writer(long value) {
    return writers.get(value);
  }

  /** Each key's inferred version order (the longest committed read of it). */
  public Map<Integer, List<Long>> versionOrders() {
    return Collections.unmodifiableMap(versionOrders);
  }

  /** Committed reads of each key, in history order. */
  public Map<Integer, List<KeyRead>> readsByKey() {
    return Collections.unmodifiableMap(readsByKey);
  }

  /** Incompatible orders, duplicate elements and unknown values found while inferring the orders. */
  public List<Anomaly> orderAnomalies() {
    return Collections.unmodifiableList(orderAnomalies);
  }

  /** Number of transaction ids (graph nodes are a subset of 0..size-1). */
  public int size() {
    return out.size();
  }

  /** Whether transaction {@code id} is a node (committed). */
  public boolean isNode(int id) {
    return nodes.contains(id);
  }

  /** Outgoing edges of {@code from}: target -> mask of {@link EdgeType} bits (empty if none). */
  public Map<Integer, Integer> edgesFrom(int from) {
    Map<Integer, Integer> m = out.get(from);
    return m == null ? Map.of() : Collections.unmodifiableMap(m);
  }

  public long edgeCount() {
    return out.stream().filter(m -> m != null).mapToLong(Map::size).sum();
  }

  /** Why the edge {@code from -type-> to} exists, in words. */
  public String reason(int from, int to, EdgeType type) {
    return reasons.getOrDefault(from + " " + to + " " + type, "T" + from + " -" + type + "-> T" + to);
  }

  private void indexWriters() {
    for (Txn t : history.txns()) {
      List<Op> ops = t.ops();
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i) instanceof Append a) {
          boolean last = true;
          for (int j = i + 1; j < ops.size(); j++) {
            if (ops.get(j) instanceof Append later && later.key() == a.key()) {
              last = false;
              break;
            }
          }
          writers.put(a.value(), new Writer(t.id(), a.key(), last));
        }
      }
      if (t.outcome() == Outcome.OK) {
        nodes.add(t.id());
      }
    }
  }

  private void inferVersionOrders() {
    for (Txn t : history.txns()) {
      if (t.outcome() != Outcome.OK) {
        continue;
      }
      for (Op op : t.ops()) {
        if (op instanceof Read r && r.values() != null) {
          readsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new KeyRead(t.id(), r, true));
        }
      }
    }
    for (Map.Entry<Integer, List<KeyRead>> e : readsByKey.entrySet()) {
      int key = e.getKey();
      List<KeyRead> reads = e.getValue();
      KeyRead longest = reads.stream().max(Comparator.comparingInt(kr -> kr.read().values().size())).orElseThrow();
      List<Long> order = longest.read().values();
      versionOrders.put(key, order);
      List<KeyRead> checked = new ArrayList<>(reads.size());
      for (KeyRead kr : reads) {
        boolean prefix = checkRead(key, kr, longest);
        checked.add(prefix ? kr : new KeyRead(kr.txn(), kr.read(), false));
      }
      e.setValue(checked);
      for (Long v : order) {
        Writer w = writers.get(v);
        if (w != null && w.key() == key && history.txn(w.txn()).outcome() == Outcome.INFO) {
          nodes.add(w.txn()); // an indeterminate transaction whose append was seen did commit
        }
      }
    }
  }

  /** Reports what is wrong with one read against the longest one; returns whether it is a clean prefix. */
  private boolean checkRead(int key, KeyRead kr, KeyRead longest) {
    List<Long> values = kr.read().values();
    List<Long> order = longest.read().values();
    Set<Long> seen = new HashSet<>();
    for (Long v : values) {
      if (!seen.add(v)) {
        orderAnomalies.add(new Anomaly(Anomaly.Kind.INCOMPATIBLE_ORDER, List.of(kr.txn()),
            "T" + kr.txn() + " read key " + key + " = " + values + ", which holds " + v + " twice"));
        return false;
      }
      Writer w = writers.get(v);
      if (w == null || w.key() != key) {
        orderAnomalies.add(new Anomaly(Anomaly.Kind.UNKNOWN_VALUE, List.of(kr.txn()),
            "T" + kr.txn() + " read key " + key + " = " + values + ", but no transaction appended " + v
                + " to key " + key));
        return false;
      }
    }
    if (!order.subList(0, values.size()).equals(values)) {
      orderAnomalies.add(new Anomaly(Anomaly.Kind.INCOMPATIBLE_ORDER, List.of(kr.txn(), longest.txn()),
          "T" + kr.txn() + " read key " + key + " = " + values + "\n"
              + "T" + longest.txn() + " read key " + key + " = " + order + "\n"
              + "the first is not a prefix of the second: they disagree on the order of appends"));
      return false;
    }
    return true;
  }

  private void addEdges() {
    for (Map.Entry<Integer, List<Long>> e : versionOrders.entrySet()) {
      int key = e.getKey();
      List<Long> order = e.getValue();
      for (int i = 1; i < order.size(); i++) {
        int a = committedWriter(order.get(i - 1));
        int b = committedWriter(order.get(i));
        if (a >= 0 && b >= 0 && a != b) {
          addEdge(a, b, EdgeType.WW, "T" + b + " appended " + order.get(i) + " to key " + key
              + " right after T" + a + "'s " + order.get(i - 1));
        }
      }
      for (KeyRead kr : readsByKey.get(key)) {
        if (kr.prefix()) {
          addReadEdges(key, kr, order);
        }
      }
    }
  }

  private void addReadEdges(int key, KeyRead kr, List<Long> order) {
    int reader = kr.txn();
    List<Long> values = kr.read().values();
    int end = values.size();
    while (end > 0 && committedWriter(values.get(end - 1)) == reader) {
      end--; // the reader's own appends: no dependency on itself
    }
    if (end > 0) {
      long last = values.get(end - 1);
      int w = committedWriter(last);
      if (w >= 0) {
        addEdge(w, reader, EdgeType.WR, "T" + reader + " read key " + key + " = " + tail(values)
            + ", whose last element " + last + " T" + w + " appended");
      }
    }
    // The next version is the next transaction's: skip the rest of the last seen element's writer
    // (reading a non-final append of it is G1b, reported by the checker, not an rw to itself).
    int nextIndex = values.size();
    int lastWriter = values.isEmpty() ? -1 : committedWriter(values.get(values.size() - 1));
    while (lastWriter >= 0 && nextIndex < order.size() && committedWriter(order.get(nextIndex)) == lastWriter) {
      nextIndex++;
    }
    if (nextIndex < order.size()) {
      long next = order.get(nextIndex);
      int w = committedWriter(next);
      if (w >= 0 && w != reader) {
        addEdge(reader, w, EdgeType.RW, "T" + reader + " read key " + key + " = " + tail(values)
            + " and did not see " + next + ", which T" + w + " appended next");
      }
    }
  }

  /** The committed writer of {@code value}, or -1 (no writer, or the writer failed). */
  private int committedWriter(long value) {
    Writer w = writers.get(value);
    return w != null && nodes.contains(w.txn()) ? w.txn() : -1;
  }

  private void addEdge(int from, int to, EdgeType type, String why) {
    Map<Integer, Integer> m = out.get(from);
    if (m == null) {
      m = new HashMap<>();
      out.set(from, m);
    }
    m.merge(to, type.bit, (x, y) -> x | y);
    reasons.putIfAbsent(from + " " + to + " " + type, why);
  }

  private static String tail(List<Long> values) {
    if (values.size() <= 4) {
      return values.toString();
    }
    return values.subList(values.size() - 3, values.size()).stream().map(String::valueOf)
        .collect(Collectors.joining(", ", "[... ", "]"));
  }
}
