package org.troupedb.bench.listappend;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.troupedb.bench.listappend.Txn.Op;
import org.troupedb.bench.listappend.Txn.Outcome;
import org.troupedb.bench.listappend.Txn.Read;

/**
 * Records the events of concurrent clients in one real-time order: an invoke before a transaction
 * starts, a completion once its outcome is known. Thread-safe; all state is under {@code this}.
 */
public final class HistoryRecorder {
  // guarded by this
  private final List<String> lines = new ArrayList<>();
  private final List<Txn> txns = new ArrayList<>();
  private int events;

  /** Records that {@code process} begins a transaction of {@code ops}; returns the invoke's index. */
  public synchronized int invoke(int process, List<Op> ops) {
    lines.add(History.eventLine("invoke", process, withoutReadValues(ops)));
    return events++;
  }

  /**
   * Records the outcome of the transaction {@code process} invoked at {@code invokeIndex}; reads
   * of a failed or indeterminate transaction are recorded without values.
   */
  public synchronized Txn complete(int process, int invokeIndex, Outcome outcome, List<Op> ops) {
    List<Op> recorded = outcome == Outcome.OK ? ops : withoutReadValues(ops);
    lines.add(History.eventLine(outcome.name().toLowerCase(), process, recorded));
    Txn t = new Txn(txns.size(), process, outcome, recorded, invokeIndex, events++);
    txns.add(t);
    return t;
  }

  public synchronized History history() {
    return new History(txns);
  }

  /** Writes the events in the text form {@link History#parse} reads. */
  public synchronized void write(Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("# list-append history: TYPE PROCESS OPS, one event per line in real-time order\n");
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
  }

  private static List<Op> withoutReadValues(List<Op> ops) {
    return ops.stream().map(op -> op instanceof Read r ? (Op) new Read(r.key(), null) : op).toList();
  }
}
