package org.troupedb.node;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Probes for a partitioned cluster: one writer on the majority raises a counter row in each of
 * {@link #TABLES} tables (one range each, so some live on the isolated node), and clients of the
 * isolated node read those counters and insert rows of their own. Afterwards {@link #violations}
 * says whether the isolated node served a stale read (a counter below a value the majority had
 * acknowledged before the read started), committed a write, or answered at all after it was
 * downed, and whether an error reached a client without a SQLSTATE or as an internal error.
 */
final class PartitionProbes {
  static final int TABLES = 6;

  /** The majority acknowledged {@code value} in probe table {@code table} at {@code ackNanos}. */
  record Ack(int table, long value, long ackNanos) {}

  /**
   * One statement on the isolated node: a read of probe {@code table} (value: what it saw, or
   * null) or an insert of {@code id} into {@code minority_writes}; {@code sqlState} null: success,
   * {@code "client-timeout"}: no answer within the client's socket timeout.
   */
  record Attempt(boolean write, int table, long id, long startNanos, long endNanos, Long value, String sqlState) {
    boolean ok() {
      return sqlState == null;
    }
  }

  final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
  final Queue<Attempt> minority = new ConcurrentLinkedQueue<>();
  /** The highest value the writer tried per table (acknowledged or not). */
  final long[] attempted = new long[TABLES];
  final Queue<String> writerErrors = new ConcurrentLinkedQueue<>();

  static String table(int t) {
    return "probe_" + t;
  }

  /** Creates the probe tables (counter 0 each) and {@code minority_writes}. */
  static void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (int t = 0; t < TABLES; t++) {
        s.execute("CREATE TABLE " + table(t) + " (k INT PRIMARY KEY, v BIGINT NOT NULL)");
        s.execute("INSERT INTO " + table(t) + " VALUES (0, 0)");
      }
      s.execute("CREATE TABLE minority_writes (id BIGINT PRIMARY KEY)");
    }
  }

  /**
   * The majority's writer, until {@code deadlineNanos}: sets each counter to its next value
   * (autocommit); a value is used once whether or not its write succeeded, so counters only grow.
   */
  void runWriter(Supplier<String> url, long deadlineNanos) throws InterruptedException {
    Connection c = null;
    try {
      while (System.nanoTime() < deadlineNanos) {
        for (int t = 0; t < TABLES && System.nanoTime() < deadlineNanos; t++) {
          long value = ++attempted[t];
          try {
            if (c == null) {
              c = DriverManager.getConnection(url.get());
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE " + table(t) + " SET v = ? WHERE k = 0")) {
              u.setLong(1, value);
              u.executeUpdate();
            }
            acks.add(new Ack(t, value, System.nanoTime()));
          } catch (SQLException e) {
            writerErrors.add(e.getSQLState() + " " + e.getMessage());
            closeQuietly(c);
            c = null;
            Thread.sleep(100); // a range of the isolated node is being taken over: try the next
          }
        }
      }
    } finally {
      closeQuietly(c);
    }
  }

  /**
   * One client of the isolated node, until {@code deadlineNanos}: alternately reads a counter and
   * inserts a row, each statement on a fresh connection (so a hung one costs only itself).
   */
  void runMinorityClient(String url, int client, long deadlineNanos) {
    long seq = 0;
    while (System.nanoTime() < deadlineNanos) {
      int t = (int) (seq % TABLES);
      boolean write = seq % 2 == 1;
      long id = client * 1_000_000L + seq++;
      long t0 = System.nanoTime();
      try (Connection c = DriverManager.getConnection(url)) {
        if (write) {
          try (PreparedStatement i = c.prepareStatement("INSERT INTO minority_writes VALUES (?)")) {
            i.setLong(1, id);
            i.executeUpdate();
          }
          minority.add(new Attempt(true, t, id, t0, System.nanoTime(), null, null));
        } else {
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM " + table(t))) {
            Long v = rs.next() ? rs.getLong(1) : null;
            minority.add(new Attempt(false, t, id, t0, System.nanoTime(), v, null));
          }
        }
      } catch (SQLException e) {
        String state = e.getSQLState() == null ? "none: " + e.getMessage() : e.getSQLState();
        if (e.getMessage() != null && e.getMessage().contains("Read timed out")) {
          state = "client-timeout";
        }
        minority.add(new Attempt(write, t, id, t0, System.nanoTime(), null, state));
        try {
          Thread.sleep(100); // bounded by the deadline; the node is refusing, do not spin
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * What the isolated node must not have done: a write committed, a stale read, any answer to a
   * statement started after {@code downedNanos} (the majority downed it), or an error without a
   * clear SQLSTATE (none, or XX000).
   */
  List<String> violations(long downedNanos) {
    List<String> bad = new ArrayList<>();
    for (Attempt a : minority) {
      if (a.ok() && a.write()) {
        bad.add("the isolated node committed a write: " + a);
      }
      if (a.ok() && !a.write()) {
        long newest = acks.stream().filter(k -> k.table() == a.table() && k.ackNanos() < a.startNanos())
            .mapToLong(Ack::value).max().orElse(0);
        if (a.value() == null || a.value() < newest) {
          bad.add("stale read on the isolated node: saw " + a.value() + " in " + table(a.table())
              + ", the majority had acknowledged " + newest + " before the read started: " + a);
        }
      }
      if (a.ok() && a.startNanos() >= downedNanos) {
        bad.add("the isolated node answered a statement started after it was downed: " + a);
      }
      if (!a.ok() && (a.sqlState().startsWith("none") || a.sqlState().equals("XX000"))) {
        bad.add("an error without a clear SQLSTATE: " + a);
      }
    }
    return bad;
  }

  /** The isolated node's statements by outcome ({@code ok-read}, {@code ok-write} or the SQLSTATE). */
  Map<String, Integer> outcomes() {
    Map<String, Integer> out = new TreeMap<>();
    for (Attempt a : minority) {
      out.merge(a.ok() ? (a.write() ? "ok-write" : "ok-read") : a.sqlState(), 1, Integer::sum);
    }
    return out;
  }

  /** The highest value the majority acknowledged per table (0: none). */
  long[] lastAcked() {
    long[] out = new long[TABLES];
    for (Ack a : acks) {
      out[a.table()] = Math.max(out[a.table()], a.value());
    }
    return out;
  }

  /** Every counter, read through {@code url}. */
  static long[] counters(String url) throws SQLException {
    long[] out = new long[TABLES];
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (int t = 0; t < TABLES; t++) {
        try (ResultSet rs = s.executeQuery("SELECT v FROM " + table(t))) {
          rs.next();
          out[t] = rs.getLong(1);
        }
      }
    }
    return out;
  }

  /** The ids in {@code minority_writes}, read through {@code url}. */
  static Set<Long> minorityRows(String url) throws SQLException {
    Set<Long> out = new java.util.TreeSet<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id FROM minority_writes")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the node is unreachable; nothing to release
      }
    }
  }
}
