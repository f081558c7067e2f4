package org.troupedb.bench.listappend;

import java.util.List;

/**
 * One anomaly the checker found: its kind, the transactions involved (ids into the history) and a
 * readable explanation, one line per step for cycles.
 */
public record Anomaly(Kind kind, List<Integer> txns, String explanation) {

  public Anomaly {
    txns = List.copyOf(txns);
  }

  /** The anomalies checked, after Adya's thesis (G0-G2) and Elle (list-append specific ones). */
  public enum Kind {
    /** Write cycle: a dependency cycle of ww edges only. */
    G0("G0"),
    /** Aborted read: a committed read saw a value appended by a failed transaction. */
    G1A("G1a"),
    /** Intermediate read: a committed read ended in an append its writer followed with another one to the same key. */
    G1B("G1b"),
    /** Circular information flow: a cycle of ww and wr edges, at least one wr. */
    G1C("G1c"),
    /** Read skew: a cycle with exactly one rw (anti-dependency) edge. */
    G_SINGLE("G-single"),
    /** Write skew and friends: a cycle with more than one rw edge. */
    G2("G2"),
    /** An acknowledged append missing from a read of its key that began after the append committed. */
    LOST_APPEND("lost-append"),
    /** Two reads of a key that are not prefixes of one list (or a list with a value twice). */
    INCOMPATIBLE_ORDER("incompatible-order"),
    /** A read returned a value no transaction of the history appended to that key. */
    UNKNOWN_VALUE("unknown-value");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  @Override
  public String toString() {
    return kind.label() + " " + txns.stream().map(t -> "T" + t).toList() + "\n  " + explanation.replace("\n", "\n  ");
  }
}
