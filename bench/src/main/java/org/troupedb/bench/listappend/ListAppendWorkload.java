package org.troupedb.bench.listappend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.troupedb.bench.listappend.Txn.Append;
import org.troupedb.bench.listappend.Txn.Op;
import org.troupedb.bench.listappend.Txn.Outcome;
import org.troupedb.bench.listappend.Txn.Read;
import org.troupedb.bench.tpcc.Db;

/**
 * The list-append workload over JDBC: clients run short transactions that append globally unique
 * values to lists and read whole lists, nothing retried, and every transaction is recorded.
 *
 * <p>A list is one row, {@code list_append(k int PRIMARY KEY, v text)}, its elements appended to
 * {@code v} as {@code ",<value>"} by an upsert: the text keeps the order of the appends, which the
 * checker needs (one row per element would lose it), and the upsert needs no row created ahead.
 *
 * <pre>
 *   client:  invoke ──▶ BEGIN; 1-4 × (append k v | read k) ──▶ COMMIT ──▶ ok
 *                              │ any error                     │ 40xxx but 40003 ──▶ fail
 *                              └──────────▶ ROLLBACK ──▶ fail  └ other error (connection lost, 40003) ──▶ info,
 *                                                                 the client goes on as a new process
 *   at the end: one transaction reads every key used (the final reads)
 * </pre>
 *
 * <p>Keys rotate as in Elle: {@code keys} keys are active; one that has taken
 * {@code maxWritesPerKey} appends is replaced by a fresh one, so lists stay short.
 */
public final class ListAppendWorkload {

  /** The table the workload creates (dropping it first). */
  public static final String TABLE = "list_append";

  /**
   * How to run.
   *
   * @param isolation JDBC isolation level, e.g. {@link Connection#TRANSACTION_SERIALIZABLE}
   */
  public record Config(Db db, int clients, Duration duration, int keys, int maxWritesPerKey, int maxOpsPerTxn,
      int isolation, long seed) {

    public Config {
      if (clients < 1 || keys < 1 || maxWritesPerKey < 1 || maxOpsPerTxn < 1) {
        throw new IllegalArgumentException("clients, keys, maxWritesPerKey and maxOpsPerTxn must be positive");
      }
    }

    public static Config of(Db db, int clients, Duration duration, int keys) {
      return new Config(db, clients, duration, keys, 32, 4, Connection.TRANSACTION_SERIALIZABLE, 17);
    }

    public Config withIsolation(int level) {
      return new Config(db, clients, duration, keys, maxWritesPerKey, maxOpsPerTxn, level, seed);
    }
  }

  /**
   * What a run produced: the recorded history, how long the clients ran, and how many failed or
   * indeterminate transactions each SQLSTATE caused ({@code "none"} when the error had none).
   */
  public record Run(History history, HistoryRecorder recorder, Duration elapsed, Map<String, Long> errorCodes) {
    public double txnsPerSecond() {
      return history.txns().size() / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
  }

  /**
   * Told of every transaction the moment its outcome is recorded, with {@code System.nanoTime()}
   * at its invoke and at its completion (e.g. to measure when a restarted node served again).
   * Called on client threads, concurrently.
   */
  @FunctionalInterface
  public interface CompletionListener {
    void completed(Txn txn, long startNanos, long endNanos);
  }

  /** Opens a connection to the database under test (a seam for tests). */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Config config;
  private final Connector connector;
  private final HistoryRecorder recorder = new HistoryRecorder();
  private final AtomicLong nextValue = new AtomicLong();
  private final ConcurrentHashMap<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
  private final AtomicInteger nextProcess;
  // guarded by this: the active keys and how many appends each has been given
  private final int[] activeKeys;
  private final int[] appendsGiven;
  private int nextKey;
  private volatile CompletionListener listener = (txn, startNanos, endNanos) -> { };

  public ListAppendWorkload(Config config) {
    this(config, config.db()::connect);
  }

  ListAppendWorkload(Config config, Connector connector) {
    this.config = config;
    this.connector = connector;
    this.nextProcess = new AtomicInteger(config.clients());
    this.activeKeys = new int[config.keys()];
    this.appendsGiven = new int[config.keys()];
    for (int i = 0; i < config.keys(); i++) {
      activeKeys[i] = nextKey++;
    }
  }

  /** Sets the listener told of every completed transaction (before {@link #run}). */
  public void onCompletion(CompletionListener listener) {
    this.listener = listener;
  }

  /** Drops and creates the table. */
  public void setUp() throws SQLException {
    try (Connection c = connector.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute("CREATE TABLE " + TABLE + " (k int PRIMARY KEY, v text)");
    }
  }

  /** Runs the clients for the configured duration, then the final reads; returns the history. */
  public Run run() throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + config.duration().toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < config.clients(); i++) {
      int client = i;
      Thread t = new Thread(() -> clientLoop(client, deadline), "list-append-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      // bounded: a statement is bounded by the connection's socket timeout
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000) + 360_000);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    finalReads();
    Map<String, Long> codes = new TreeMap<>();
    errorCodes.forEach((k, v) -> codes.put(k, v.sum()));
    return new Run(recorder.history(), recorder, elapsed, codes);
  }

  private void clientLoop(int client, long deadline) {
    SplittableRandom rnd = new SplittableRandom(config.seed() * 1_000_003L + client);
    int process = client;
    Connection c = null;
    try {
      while (System.nanoTime() < deadline) {
        if (c == null) {
          c = connect();
          if (c == null) {
            LockSupport.parkNanos(100_000_000L); // unreachable for now: try again, paced, until the deadline
            continue;
          }
        }
        List<Op> ops = generate(rnd);
        Outcome outcome = runTxn(c, process, ops);
        if (outcome == Outcome.INFO || outcome == Outcome.FAIL && broken(c)) {
          closeQuietly(c);
          c = null;
          if (outcome == Outcome.INFO) {
            process = nextProcess.getAndIncrement();
          }
        }
      }
    } finally {
      closeQuietly(c);
    }
  }

  /** Whether a connection that just failed a transaction is unusable (a new one is opened). */
  private static boolean broken(Connection c) {
    try {
      return c.isClosed() || !c.isValid(5);
    } catch (SQLException e) {
      return true;
    }
  }

  private Connection connect() {
    try {
      Connection c = connector.connect();
      c.setAutoCommit(false);
      c.setTransactionIsolation(config.isolation());
      return c;
    } catch (SQLException e) {
      return null;
    }
  }

  private List<Op> generate(SplittableRandom rnd) {
    int n = 1 + rnd.nextInt(config.maxOpsPerTxn());
    List<Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int slot = rnd.nextInt(config.keys());
      if (rnd.nextBoolean()) {
        ops.add(new Append(keyForAppend(slot), nextValue.incrementAndGet()));
      } else {
        ops.add(new Read(keyAt(slot), null));
      }
    }
    return ops;
  }

  private synchronized int keyAt(int slot) {
    return activeKeys[slot];
  }

  private synchronized int keyForAppend(int slot) {
    if (appendsGiven[slot] >= config.maxWritesPerKey()) {
      activeKeys[slot] = nextKey++;
      appendsGiven[slot] = 0;
    }
    appendsGiven[slot]++;
    return activeKeys[slot];
  }

  /**
   * Runs one transaction and records it; nothing is retried. A COMMIT that fails with a 40xxx
   * SQLSTATE did not commit (fail), except 40003 (statement completion unknown: the server lost
   * track of the outcome), which, like a lost connection, may have committed (info).
   */
  private Outcome runTxn(Connection c, int process, List<Op> ops) {
    long startNanos = System.nanoTime();
    int invoked = recorder.invoke(process, ops);
    List<Op> done = new ArrayList<>(ops.size());
    try {
      for (Op op : ops) {
        done.add(execute(c, op));
      }
    } catch (SQLException e) {
      countError(e);
      rollbackQuietly(c);
      return complete(process, invoked, Outcome.FAIL, ops, startNanos);
    }
    try {
      c.commit();
    } catch (SQLException e) {
      countError(e);
      String state = e.getSQLState();
      boolean definite = state != null && state.startsWith("40") && !state.equals("40003");
      Outcome o = definite ? Outcome.FAIL : Outcome.INFO;
      if (o == Outcome.FAIL) {
        rollbackQuietly(c);
      }
      return complete(process, invoked, o, ops, startNanos);
    }
    return complete(process, invoked, Outcome.OK, done, startNanos);
  }

  private Outcome complete(int process, int invoked, Outcome outcome, List<Op> ops, long startNanos) {
    Txn txn = recorder.complete(process, invoked, outcome, ops);
    listener.completed(txn, startNanos, System.nanoTime());
    return outcome;
  }

  private void countError(SQLException e) {
    errorCodes.computeIfAbsent(e.getSQLState() == null ? "none" : e.getSQLState(), k -> new LongAdder()).increment();
  }

  private static Op execute(Connection c, Op op) throws SQLException {
    if (op instanceof Append a) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (k, v) VALUES (?, ?)"
          + " ON CONFLICT (k) DO UPDATE SET v = " + TABLE + ".v || excluded.v")) {
        ps.setInt(1, a.key());
        ps.setString(2, "," + a.value());
        ps.executeUpdate();
      }
      return a;
    }
    return new Read(op.key(), readList(c, op.key()));
  }

  private static List<Long> readList(Connection c, int key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT v FROM " + TABLE + " WHERE k = ?")) {
      ps.setInt(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        List<Long> values = new ArrayList<>();
        if (rs.next()) {
          String v = rs.getString(1);
          for (String part : v == null ? new String[0] : v.split(",")) {
            if (!part.isEmpty()) {
              values.add(Long.parseLong(part));
            }
          }
        }
        return values;
      }
    }
  }

  /** One transaction per up-to-50 keys that reads every key ever used, retried a few times. */
  private void finalReads() {
    int keys;
    synchronized (this) {
      keys = nextKey;
    }
    int process = nextProcess.getAndIncrement();
    for (int from = 0; from < keys; from += 50) {
      List<Op> ops = new ArrayList<>();
      for (int k = from; k < Math.min(keys, from + 50); k++) {
        ops.add(new Read(k, null));
      }
      for (int attempt = 0; attempt < 5; attempt++) {
        Connection c = connect();
        if (c != null) {
          try {
            if (runTxn(c, process, ops) == Outcome.OK) {
              break;
            }
          } finally {
            closeQuietly(c);
          }
        }
        process = nextProcess.getAndIncrement();
      }
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the server aborts the transaction
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // nothing to do
      }
    }
  }
}
