package org.troupedb.bench.listappend;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.troupedb.bench.listappend.Txn.Append;
import org.troupedb.bench.listappend.Txn.Op;
import org.troupedb.bench.listappend.Txn.Outcome;
import org.troupedb.bench.listappend.Txn.Read;

/**
 * A list-append history: the completed transactions, and its text form (one event per line, in
 * real-time order), which the workload writes and tests and {@code --check} read back.
 *
 * <pre>
 *   # comment
 *   invoke 3 append 1 40, r 2                 process 3 begins a transaction
 *   ok     3 append 1 40, r 2 [7 9 40]        ... and commits; the read returned [7 9 40]
 *   fail   4 append 2 41                      definitely not committed
 *   info   5 append 3 42, r 3 ?               outcome unknown (connection lost at COMMIT)
 * </pre>
 *
 * <p>A completion without a preceding invoke of the same process (handy in hand-written
 * histories) is taken as invoked just before it completed. Transaction ids are assigned in
 * completion order.
 */
public final class History {
  private final List<Txn> txns;

  public History(List<Txn> txns) {
    this.txns = List.copyOf(txns);
  }

  public List<Txn> txns() {
    return txns;
  }

  public Txn txn(int id) {
    return txns.get(id);
  }

  public long count(Outcome outcome) {
    return txns.stream().filter(t -> t.outcome() == outcome).count();
  }

  /** Parses the text form (see the class comment); throws IllegalArgumentException naming the bad line. */
  public static History parse(String text) {
    List<Txn> out = new ArrayList<>();
    Map<Integer, Integer> pendingInvoke = new HashMap<>();
    int index = 0;
    int lineNo = 0;
    for (String raw : text.split("\n")) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+", 3);
      if (parts.length < 2) {
        throw new IllegalArgumentException("line " + lineNo + ": expected TYPE PROCESS OPS: " + line);
      }
      try {
        int process = Integer.parseInt(parts[1]);
        List<Op> ops = parts.length == 3 ? parseOps(parts[2]) : List.of();
        if (parts[0].equals("invoke")) {
          pendingInvoke.put(process, index++);
          continue;
        }
        Outcome outcome = Outcome.valueOf(parts[0].toUpperCase());
        Integer invoked = pendingInvoke.remove(process);
        int invokeIndex = invoked != null ? invoked : index++;
        out.add(new Txn(out.size(), process, outcome, ops, invokeIndex, index++));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage() + ": " + line, e);
      }
    }
    return new History(out);
  }

  public static History read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  private static List<Op> parseOps(String s) {
    List<Op> ops = new ArrayList<>();
    for (String part : s.split(",")) {
      String[] w = part.strip().split("\\s+", 3);
      int key = Integer.parseInt(w[1]);
      switch (w[0]) {
        case "append" -> ops.add(new Append(key, Long.parseLong(w[2])));
        case "r" -> ops.add(new Read(key, w.length < 3 || w[2].equals("?") ? null : parseList(w[2])));
        default -> throw new IllegalArgumentException("unknown micro-op " + w[0]);
      }
    }
    return ops;
  }

  private static List<Long> parseList(String s) {
    String body = s.strip();
    if (!body.startsWith("[") || !body.endsWith("]")) {
      throw new IllegalArgumentException("a read's list is [v v ...], got " + s);
    }
    body = body.substring(1, body.length() - 1).strip();
    List<Long> values = new ArrayList<>();
    if (!body.isEmpty()) {
      for (String v : body.split("\\s+")) {
        values.add(Long.parseLong(v));
      }
    }
    return values;
  }

  /** One event line: {@code TYPE PROCESS OPS} ({@code invoke} lines carry reads without values). */
  public static String eventLine(String type, int process, List<Op> ops) {
    return type + " " + process + " " + ops.stream().map(Op::toString).collect(Collectors.joining(", "));
  }

  /** Appends one event line to {@code w}. */
  public static void writeEvent(Writer w, String type, int process, List<Op> ops) throws IOException {
    w.write(eventLine(type, process, ops));
    w.write('\n');
  }
}
