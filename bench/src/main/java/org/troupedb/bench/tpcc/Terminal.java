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
 * Delivery is only queued to a {@link DeferredDelivery} (clause 2.7.2); its response time is the
 * queueing.
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
  private final DeferredDelivery deliveries;
  private final List<TxnType> deck = TxnType.deck();
  private int nextCard = deck.size();
  private Connection conn;

  Terminal(Db db, int isolation, Scale scale, TpccTxn.Home home, TpccRandom random,
      boolean thinkTimes, Window window, RunStats stats, DeferredDelivery deliveries) {
    this.db = db;
    this.isolation = isolation;
    this.scale = scale;
    this.home = home;
    this.random = random;
    this.thinkTimes = thinkTimes;
    this.window = window;
    this.stats = stats;
    this.deliveries = deliveries;
  }

  @Override
  public void run() {
    try {
      while (System.nanoTime() < window.endNanos() && !Thread.currentThread().isInterrupted()) {
        TxnType type = draw();
        if (thinkTimes && !pause(Math.round(type.keyingSeconds() * 1000))) {
          break;
        }
        TpccTxn txn = TpccTxn.generate(type, random, home, scale);
        if (txn instanceof DeliveryTxn delivery && deliveries != null) {
          queue(delivery);
        } else {
          runOne(txn);
        }
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

  /**
   * Deferred Delivery (clause 2.7.2): the terminal only queues the request; its response time is
   * submit to "queued".
   */
  private void queue(DeliveryTxn txn) {
    long start = System.nanoTime();
    deliveries.submit(txn);
    record(txn.type(), TpccTxn.Result.COMMITTED, start, System.nanoTime());
  }

  private void runOne(TpccTxn txn) throws InterruptedException {
    long start = System.nanoTime();
    TpccTxn.Result result = attempt(txn);
    if (result != null) {
      record(txn.type(), result, start, System.nanoTime());
    }
  }

  private void record(TxnType type, TpccTxn.Result result, long start, long end) {
    if (end >= window.measureFromNanos() && end <= window.endNanos()) {
      stats.completed(type, result, (end - start) / 1000,
          TimeUnit.NANOSECONDS.toMillis(end - window.measureFromNanos()));
    }
  }

  /**
   * Runs {@code txn} on this terminal's connection, retrying serialization failures; the result,
   * or null when it failed (counted as an error).
   */
  TpccTxn.Result attempt(TpccTxn txn) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return txn.execute(connection());
      } catch (RuntimeException e) {
        // The driver itself gave up (e.g. pgjdbc rejecting a server's parameter types): an
        // error of this transaction, and the connection is not trusted any more.
        closeQuietly();
        if (System.nanoTime() >= window.measureFromNanos()) {
          stats.failed(txn.type(), "client", e.toString());
        }
        return null;
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
        return null;
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

  void closeQuietly() {
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
