package org.troupedb.bench.listappend;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One completed transaction of a list-append history: its micro-operations as the client observed
 * them (reads carry the list they returned when the transaction committed) and how it ended.
 *
 * @param id position of the transaction in the history (unique, dense from 0)
 * @param process the client that ran it; a client that lost its connection continues as a new
 *     process, as in Jepsen, so a process never has two transactions in flight
 * @param outcome ok, fail or info (indeterminate)
 * @param ops the micro-operations in program order
 * @param invokeIndex position of its invocation among the history's events (real-time order)
 * @param completeIndex position of its completion among the history's events
 */
public record Txn(int id, int process, Outcome outcome, List<Op> ops, int invokeIndex, int completeIndex) {

  public Txn {
    ops = List.copyOf(ops);
  }

  /** How a transaction ended, as Jepsen records it. */
  public enum Outcome {
    /** Committed: the client got a successful COMMIT. */
    OK,
    /** Definitely did not commit (a 40001, any error before COMMIT). */
    FAIL,
    /** Unknown: the connection was lost while COMMIT was in flight; it may or may not have committed. */
    INFO
  }

  /** A micro-operation: an append of a value to a key's list, or a read of a key's whole list. */
  public sealed interface Op permits Append, Read {
    int key();
  }

  /** Appends {@code value}, unique in the whole history, to the list at {@code key}. */
  public record Append(int key, long value) implements Op {
    @Override
    public String toString() {
      return "append " + key + " " + value;
    }
  }

  /**
   * Reads the list at {@code key}; {@code values} is what the read returned, or null when unknown
   * (the transaction failed or its outcome is indeterminate).
   */
  public record Read(int key, List<Long> values) implements Op {
    public Read {
      values = values == null ? null : List.copyOf(values);
    }

    @Override
    public String toString() {
      return "r " + key + " " + (values == null ? "?" : values.stream().map(String::valueOf)
          .collect(Collectors.joining(" ", "[", "]")));
    }
  }

  /** The transaction as one line, e.g. {@code T12 (p3, ok): append 1 40, r 2 [7 9]}. */
  public String describe() {
    return "T" + id + " (p" + process + ", " + outcome.name().toLowerCase() + "): "
        + ops.stream().map(Op::toString).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return describe();
  }
}
