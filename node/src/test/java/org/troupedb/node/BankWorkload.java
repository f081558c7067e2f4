package org.troupedb.node;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The bank workload over JDBC (TroupeDB or PostgreSQL): {@code accounts} accounts spread over
 * {@code tables} account tables (one range each on TroupeDB, so transfers are multi-range), a
 * history table, and clients doing transfers (checked: no overdraft; retried on 40001/40P01 with
 * the same transfer id) and full-sum reads. Records what every client saw, so {@link #verify}
 * can check the invariants afterwards, also across node crashes (a transfer whose COMMIT lost its
 * connection is "ambiguous"; every other outcome is definite).
 */
final class BankWorkload {
  static final long INITIAL_BALANCE = 1000;

  /**
   * How to run. {@code url} is read before every (re)connect, so a restarted node may move.
   * {@code unavailable}: SQLSTATEs a statement may fail with while a node is down (e.g. 58000, a
   * range did not answer in time; 40003, a COMMIT whose outcome is unknown): the transfer ends as
   * failed (or, 40003 at COMMIT, ambiguous) and the client goes on with the next one. Any other
   * error fails the run.
   */
  record Config(Supplier<String> url, int accounts, int tables, int clients, Duration duration, int maxTries,
      int sumReadPercent, Set<String> unavailable) {
    Config(Supplier<String> url, int accounts, int tables, int clients, Duration duration, int maxTries,
        int sumReadPercent) {
      this(url, accounts, tables, clients, duration, maxTries, sumReadPercent, Set.of());
    }
  }

  /** One transaction attempt as a client saw it (System.nanoTime() at its start and end). */
  record Attempt(long startNanos, long endNanos, boolean ok, String sqlState) {}

  /** What the clients saw. */
  static final class Outcome {
    final AtomicLong committed = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong declined = new AtomicLong();
    final AtomicLong gaveUp = new AtomicLong();
    final AtomicLong sumReads = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final Set<Long> committedIds = ConcurrentHashMap.newKeySet();
    final Set<Long> failedIds = ConcurrentHashMap.newKeySet();
    final Set<Long> ambiguousIds = ConcurrentHashMap.newKeySet();
    final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Statements that failed with one of {@link Config#unavailable}'s SQLSTATEs, by SQLSTATE. */
    final Map<String, AtomicLong> unavailable = new ConcurrentHashMap<>();
    /** Every transfer and sum-read attempt, in no particular order (when {@link Config#unavailable} is set). */
    final java.util.Queue<Attempt> attempts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    volatile long elapsedNanos;

    double perSecond(AtomicLong n) {
      return n.get() / (elapsedNanos / 1e9);
    }

    @Override
    public String toString() {
      return String.format("committed=%d (%.1f/s) retries=%d (%.1f/s) declined=%d gaveUp=%d sumReads=%d "
              + "reconnects=%d ambiguous=%d unavailable=%s", committed.get(), perSecond(committed), retries.get(),
          perSecond(retries), declined.get(), gaveUp.get(), sumReads.get(), reconnects.get(), ambiguousIds.size(),
          unavailable);
    }
  }

  private final Config cfg;

  BankWorkload(Config cfg) {
    this.cfg = cfg;
  }

  static String accountTable(int table) {
    return "bank_acct_" + table;
  }

  private String table(int account) {
    return accountTable(account % cfg.tables());
  }

  /**
   * The total of every account, read in one transaction (one SELECT per account table).
   * NB: TroupeDB does not plan {@code sum()} over a BIGINT column yet ("Unable to implement
   * EnumerableAggregate"), so the balances are added up here.
   */
  long readTotal(Connection c) throws SQLException {
    c.setAutoCommit(false);
    long sum = 0;
    try (Statement s = c.createStatement()) {
      for (int t = 0; t < cfg.tables(); t++) {
        try (ResultSet rs = s.executeQuery("SELECT balance FROM " + accountTable(t))) {
          while (rs.next()) {
            sum += rs.getLong(1);
          }
        }
      }
    }
    c.commit();
    return sum;
  }

  long expectedTotal() {
    return INITIAL_BALANCE * cfg.accounts();
  }

  /** Creates and fills the tables (drops earlier ones). */
  void load() throws SQLException {
    try (Connection c = DriverManager.getConnection(cfg.url().get()); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS bank_history");
      s.execute("CREATE TABLE bank_history (id BIGINT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, amount INT NOT NULL)");
      for (int t = 0; t < cfg.tables(); t++) {
        s.execute("DROP TABLE IF EXISTS " + accountTable(t));
        s.execute("CREATE TABLE " + accountTable(t) + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
      }
      for (int t = 0; t < cfg.tables(); t++) {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + accountTable(t) + " VALUES (?, ?)")) {
          int batched = 0;
          for (int a = t; a < cfg.accounts(); a += cfg.tables()) {
            ins.setInt(1, a);
            ins.setLong(2, INITIAL_BALANCE);
            ins.addBatch();
            if (++batched % 500 == 0) {
              ins.executeBatch();
            }
          }
          ins.executeBatch();
        }
      }
    }
  }

  /** Runs the clients for the configured duration; {@code during} runs meanwhile (e.g. kills the node). */
  Outcome run(Runnable during) throws Exception {
    Outcome out = new Outcome();
    ExecutorService pool = Executors.newFixedThreadPool(cfg.clients() + 1);
    long start = System.nanoTime();
    long deadline = start + cfg.duration().toNanos();
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int i = 0; i < cfg.clients(); i++) {
        int client = i;
        clients.add(pool.submit(() -> {
          client(client, deadline, out);
          return null;
        }));
      }
      Future<?> side = pool.submit(during);
      for (Future<?> f : clients) {
        f.get(cfg.duration().toSeconds() + 300, TimeUnit.SECONDS);
      }
      side.get(60, TimeUnit.SECONDS);
    } finally {
      out.elapsedNanos = System.nanoTime() - start;
      pool.shutdownNow();
    }
    return out;
  }

  private void client(int client, long deadline, Outcome out) throws Exception {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    long seq = 0;
    Connection c = null;
    try {
      while (System.nanoTime() < deadline) {
        if (c == null) {
          c = connect(deadline, out);
          if (c == null) {
            return;
          }
        }
        try {
          if (rnd.nextInt(100) < cfg.sumReadPercent()) {
            sumRead(c, out);
          } else {
            long id = (long) client * 1_000_000_000L + seq++;
            int from = rnd.nextInt(cfg.accounts());
            int to = (from + 1 + rnd.nextInt(cfg.accounts() - 1)) % cfg.accounts();
            transfer(c, id, from, to, 1 + rnd.nextInt(100), out);
          }
        } catch (SQLException e) {
          if (!isConnectionLoss(e, c)) {
            throw e;
          }
          closeQuietly(c);
          c = null;
        }
      }
    } finally {
      closeQuietly(c);
    }
  }

  private Connection connect(long deadline, Outcome out) throws InterruptedException {
    long giveUp = Math.max(deadline, System.nanoTime()) + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < giveUp) {
      try {
        Connection c = DriverManager.getConnection(cfg.url().get());
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        out.reconnects.incrementAndGet();
        return c;
      } catch (SQLException e) {
        Thread.sleep(200); // the node is restarting: poll for its listener, bounded by giveUp
      }
    }
    if (System.nanoTime() < deadline) {
      out.violations.add("could not reconnect for 180 s");
    }
    return null;
  }

  private void sumRead(Connection c, Outcome out) throws SQLException {
    long t0 = System.nanoTime();
    try {
      long sum = readTotal(c);
      if (sum != expectedTotal()) {
        out.violations.add("a full-sum read saw " + sum + ", expected " + expectedTotal());
      }
      out.sumReads.incrementAndGet();
      note(out, new Attempt(t0, System.nanoTime(), true, null));
    } catch (SQLException e) {
      note(out, new Attempt(t0, System.nanoTime(), false, e.getSQLState()));
      if (unavailable(e, out)) {
        rollbackAfterUnavailable(c, out);
        return;
      }
      if (!retryable(e)) {
        throw e;
      }
      c.rollback();
      out.retries.incrementAndGet();
    }
  }

  /** Records an attempt for {@link Unavailability} (only in runs that expect unavailability). */
  private void note(Outcome out, Attempt a) {
    if (!cfg.unavailable().isEmpty()) {
      out.attempts.add(a);
    }
  }

  /** Whether {@code e} is one of the errors a statement may meet while a node is down (counted). */
  private boolean unavailable(SQLException e, Outcome out) {
    if (e.getSQLState() == null || !cfg.unavailable().contains(e.getSQLState())) {
      return false;
    }
    out.unavailable.computeIfAbsent(e.getSQLState(), k -> new AtomicLong()).incrementAndGet();
    return true;
  }

  /** Ends the failed transaction and pauses briefly, so a client does not spin against a down range. */
  private void rollbackAfterUnavailable(Connection c, Outcome out) throws SQLException {
    try {
      c.rollback();
    } catch (SQLException e) {
      if (!unavailable(e, out)) { // the rollback's own cleanup may meet the down range too
        throw e;
      }
    }
    try {
      Thread.sleep(50);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  /** One transfer, retried with the same id on serialization failures. Throws on connection loss. */
  private void transfer(Connection c, long id, int from, int to, int amount, Outcome out) throws SQLException {
    c.setAutoCommit(false);
    for (int attempt = 1; ; attempt++) {
      boolean committing = false;
      long t0 = System.nanoTime();
      try {
        long balance;
        try (PreparedStatement q = c.prepareStatement("SELECT balance FROM " + table(from) + " WHERE id = ?")) {
          q.setInt(1, from);
          try (ResultSet rs = q.executeQuery()) {
            rs.next();
            balance = rs.getLong(1);
          }
        }
        if (balance < amount) {
          c.rollback();
          out.declined.incrementAndGet();
          out.failedIds.add(id);
          return;
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE " + table(from) + " SET balance = balance - ? WHERE id = ?")) {
          u.setLong(1, amount); // NB: balance is BIGINT; see the report on declared int4 parameters
          u.setInt(2, from);
          u.executeUpdate();
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE " + table(to) + " SET balance = balance + ? WHERE id = ?")) {
          u.setLong(1, amount);
          u.setInt(2, to);
          u.executeUpdate();
        }
        try (PreparedStatement h = c.prepareStatement("INSERT INTO bank_history VALUES (?, ?, ?, ?)")) {
          h.setLong(1, id);
          h.setInt(2, from);
          h.setInt(3, to);
          h.setInt(4, amount);
          h.executeUpdate();
        }
        committing = true;
        c.commit();
        out.committed.incrementAndGet();
        out.committedIds.add(id);
        note(out, new Attempt(t0, System.nanoTime(), true, null));
        return;
      } catch (SQLException e) {
        note(out, new Attempt(t0, System.nanoTime(), false, e.getSQLState()));
        if (isConnectionLoss(e, c)) {
          (committing ? out.ambiguousIds : out.failedIds).add(id);
          throw e;
        }
        if (unavailable(e, out)) {
          // Only a COMMIT whose answer was lost (40003) may have committed; any other error, also
          // at COMMIT (e.g. a pipelined write that never landed), means it did not.
          boolean unknown = committing && "40003".equals(e.getSQLState());
          (unknown ? out.ambiguousIds : out.failedIds).add(id);
          rollbackAfterUnavailable(c, out);
          return;
        }
        if (!retryable(e)) {
          throw e;
        }
        c.rollback();
        out.retries.incrementAndGet();
        if (attempt >= cfg.maxTries()) {
          out.gaveUp.incrementAndGet();
          out.failedIds.add(id);
          return;
        }
      }
    }
  }

  private static boolean retryable(SQLException e) {
    return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }

  private static boolean isConnectionLoss(SQLException e, Connection c) {
    String state = e.getSQLState();
    if (state != null && state.startsWith("08")) {
      return true;
    }
    try {
      return c.isClosed();
    } catch (SQLException x) {
      return true;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the node is gone; nothing to release
      }
    }
  }

  /**
   * Checks the invariants after a run; returns the violations (empty: all hold): the total, no
   * negative balance, every committed transfer in the history and no failed one, the history
   * count equal to the committed count (plus at most the ambiguous ones), and every balance equal
   * to its initial balance moved by exactly the transfers in the history.
   */
  List<String> verify(Outcome out) throws SQLException {
    List<String> bad = new ArrayList<>(out.violations);
    try (Connection c = DriverManager.getConnection(cfg.url().get()); Statement s = c.createStatement()) {
      long total = readTotal(c);
      if (total != expectedTotal()) {
        bad.add("final total " + total + " != " + expectedTotal());
      }
      Map<Integer, Long> expected = new HashMap<>();
      Set<Long> history = new java.util.HashSet<>();
      try (ResultSet rs = s.executeQuery("SELECT id, src, dst, amount FROM bank_history")) {
        while (rs.next()) {
          history.add(rs.getLong(1));
          expected.merge(rs.getInt(2), -rs.getLong(4), Long::sum);
          expected.merge(rs.getInt(3), rs.getLong(4), Long::sum);
        }
      }
      for (int t = 0; t < cfg.tables(); t++) {
        try (ResultSet rs = s.executeQuery("SELECT id, balance FROM " + accountTable(t))) {
          while (rs.next()) {
            long want = INITIAL_BALANCE + expected.getOrDefault(rs.getInt(1), 0L);
            if (rs.getLong(2) < 0) {
              bad.add("account " + rs.getInt(1) + " is negative: " + rs.getLong(2));
            }
            if (rs.getLong(2) != want) {
              bad.add("account " + rs.getInt(1) + " has " + rs.getLong(2) + ", its history says " + want);
            }
          }
        }
      }
      for (long id : out.committedIds) {
        if (!history.contains(id)) {
          bad.add("transfer " + id + " was acknowledged but is not in the history");
        }
      }
      for (long id : out.failedIds) {
        if (history.contains(id)) {
          bad.add("transfer " + id + " failed for its client but is in the history");
        }
      }
      long extra = history.size() - out.committedIds.size();
      if (extra < 0 || extra > out.ambiguousIds.size()) {
        bad.add("history has " + history.size() + " rows for " + out.committedIds.size() + " acknowledged and "
            + out.ambiguousIds.size() + " ambiguous transfers");
      }
    }
    return bad;
  }
}
