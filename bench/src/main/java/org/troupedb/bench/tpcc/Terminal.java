package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One emulated terminal (clause 5.2.5): bound to a home warehouse and district, it draws the next
 * transaction type from a shuffled 100-card deck (45/43/4/4/4), optionally waits the keying time,
 * runs the transaction — repeating the same input after a serialization failure (40001) or
 * deadlock (40P01), which counts as a retry, not an error — and optionally waits a think time.
 *
 * <pre>
 *   draw card ──▶ [keying] ──▶ attempt ──40001/40P01──▶ rollback, retry (same input)
 *                                │ ok                    └─ more than MAX_RETRIES ──▶ error
 *                                ▼
 *                    record (if it ended inside the measured window) ──▶ [think] ──▶ draw
 * </pre>
 */
final class Terminal implements Runnable {

  static final int MAX_RETRIES = 50;

  /** When the measured window starts and the run ends, as {@link System#nanoTime()} values. */
  record Window(long measureFromNanos, long endNanos) {}

  private final Db db;
  private final int isolation;
  private final Scale scale;
  private final TpccTxn.Home home;
  private final TpccRandom random;
  private final boolean thinkTimes;
  private final Window window;
  private final RunStats stats;
  private final List<TxnType> deck = TxnType.deck();
  private int nextCard = deck.size();
  private Connection conn;

  Terminal(Db db, int isolation, Scale scale, TpccTxn.Home home, TpccRandom random,
      boolean thinkTimes, Window window, RunStats stats) {
    this.db = db;
    this.isolation = isolation;
    this.scale = scale;
    this.home = home;
    this.random = random;
    this.thinkTimes = thinkTimes;
    this.window = window;
    this.stats = stats;
  }

  @Override
  public void run() {
    try {
      while (System.nanoTime() < window.endNanos() && !Thread.currentThread().isInterrupted()) {
        TxnType type = draw();
        if (thinkTimes && !pause(Math.round(type.keyingSeconds() * 1000))) {
          break;
        }
        runOne(TpccTxn.generate(type, random, home, scale));
        if (thinkTimes && !pause(random.thinkMillis(type.meanThinkSeconds()))) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly();
    }
  }

  private TxnType draw() {
    if (nextCard == deck.size()) {
      Collections.shuffle(deck, new java.util.Random(random.uniform(0, Integer.MAX_VALUE - 1)));
      nextCard = 0;
    }
    return deck.get(nextCard++);
  }

  /** Sleeps up to the end of the run; false when the run ended meanwhile. */
  private boolean pause(long millis) throws InterruptedException {
    long left = TimeUnit.NANOSECONDS.toMillis(window.endNanos() - System.nanoTime());
    Thread.sleep(Math.max(0, Math.min(millis, left)));
    return millis < left;
  }

  private void runOne(TpccTxn txn) throws InterruptedException {
    long start = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      try {
        TpccTxn.Result result = txn.execute(connection());
        long end = System.nanoTime();
        if (end >= window.measureFromNanos() && end <= window.endNanos()) {
          stats.completed(txn.type(), result, (end - start) / 1000,
              TimeUnit.NANOSECONDS.toMillis(end - window.measureFromNanos()));
        }
        return;
      } catch (RuntimeException e) {
        // The driver itself gave up (e.g. pgjdbc rejecting a server's parameter types): an
        // error of this transaction, and the connection is not trusted any more.
        closeQuietly();
        if (System.nanoTime() >= window.measureFromNanos()) {
          stats.failed(txn.type(), "client", e.toString());
        }
        return;
      } catch (SQLException e) {
        rollbackQuietly(e);
        boolean measured = System.nanoTime() >= window.measureFromNanos();
        String state = e.getSQLState() == null ? "?????" : e.getSQLState();
        boolean retryable = state.equals("40001") || state.equals("40P01");
        if (retryable && attempt < MAX_RETRIES && System.nanoTime() < window.endNanos()) {
          if (measured) {
            stats.retried(txn.type());
          }
          // Randomised exponential backoff, so two transactions that keep colliding drift apart.
          Thread.sleep(random.uniform(0, Math.min(100, 1 << Math.min(attempt, 7))));
          continue;
        }
        if (measured && !(retryable && System.nanoTime() >= window.endNanos())) {
          stats.failed(txn.type(), state, retryable
              ? "gave up after " + MAX_RETRIES + " retries: " + e.getMessage() : e.getMessage());
        }
        return;
      }
    }
  }

  private Connection connection() throws SQLException {
    if (conn == null) {
      Connection c = db.connect();
      try {
        c.setAutoCommit(false);
        c.setTransactionIsolation(isolation);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      conn = c;
    }
    return conn;
  }

  /** Rolls back after a failure; drops the connection if it is broken (SQLSTATE class 08). */
  private void rollbackQuietly(SQLException cause) {
    if (conn == null) {
      return;
    }
    String state = cause.getSQLState();
    try {
      if (state != null && state.startsWith("08") || conn.isClosed()) {
        closeQuietly();
      } else {
        conn.rollback();
      }
    } catch (SQLException e) {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // closing a broken connection: nothing left to do
      }
      conn = null;
    }
  }

  /** Home of terminal {@code index}: warehouses round-robin, then districts. */
  static TpccTxn.Home homeOf(int index, int warehouses) {
    return new TpccTxn.Home(index % warehouses + 1, (index / warehouses) % Scale.DISTRICTS + 1);
  }
}
