package org.troupedb.bench.tpcc;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Initial population per clause 4.3.3.1, loaded in parallel: the work is cut into independent
 * tasks (ITEM in chunks; per warehouse: WAREHOUSE + DISTRICT, STOCK in chunks; per district:
 * CUSTOMER + HISTORY, and ORDER + ORDER-LINE + NEW-ORDER), run by {@code threads} threads with a
 * connection each, every task with its own seeded {@link TpccRandom}. A progress line (rows,
 * rows/s, percent) goes to {@code progress} every few seconds.
 */
public final class Loader {

  private static final int ITEM_CHUNK = 10_000;
  private static final int STOCK_CHUNK = 20_000;

  /** How to load. */
  public record Options(int threads, int rowsPerStatement, long seed) {}

  private final Db db;
  private final Scale scale;
  private final Options options;
  private final PrintStream progress;
  private final AtomicLong rows = new AtomicLong();
  private final LocalDateTime now = LocalDateTime.now();
  private final CConstants c;

  public Loader(Db db, Scale scale, Options options, PrintStream progress) {
    this.db = db;
    this.scale = scale;
    this.options = options;
    this.progress = progress;
    this.c = CConstants.forLoad(options.seed());
  }

  /** Rows the population holds right after loading. */
  public static long expectedRows(Scale s) {
    long districts = (long) s.warehouses() * Scale.DISTRICTS;
    long orders = districts * s.customersPerDistrict();
    long orderLines = orders * 10; // O_OL_CNT is uniform in [5..15]: 10 on average
    return s.items() + s.warehouses() + districts + 2 * orders /* customer, history */
        + s.warehouses() * (long) s.items() + orders + orderLines
        + districts * s.newOrdersPerDistrict();
  }

  /** Creates the schema and loads it; returns the rows written. */
  public long load() throws SQLException, InterruptedException {
    try (Connection conn = db.connect()) {
      Schema.recreate(conn);
    }
    List<Task> tasks = tasks();
    long expected = expectedRows(scale);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(options.threads());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        Task t = tasks.get(i);
        long seed = options.seed() * 1_000_003L + i;
        futures.add(pool.submit(() -> {
          try (Connection conn = db.connect()) {
            t.run(conn, new TpccRandom(seed, c));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        while (true) {
          try {
            f.get(5, TimeUnit.SECONDS);
            break;
          } catch (java.util.concurrent.TimeoutException e) {
            printProgress(start, expected);
          }
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException se) {
        throw se;
      }
      throw new IllegalStateException("load task failed", cause);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    printProgress(start, expected);
    return rows.get();
  }

  private void printProgress(long startNanos, long expected) {
    double secs = (System.nanoTime() - startNanos) / 1e9;
    long n = rows.get();
    progress.printf(Locale.ROOT, "load: %,d rows (~%.0f%%) in %.0f s, %,.0f rows/s%n",
        n, 100.0 * n / expected, secs, n / Math.max(secs, 1e-9));
  }

  @FunctionalInterface
  private interface Task {
    void run(Connection conn, TpccRandom r) throws SQLException;
  }

  private List<Task> tasks() {
    List<Task> tasks = new ArrayList<>();
    for (int from = 1; from <= scale.items(); from += ITEM_CHUNK) {
      int lo = from;
      int hi = Math.min(scale.items(), from + ITEM_CHUNK - 1);
      tasks.add((conn, r) -> items(conn, r, lo, hi));
    }
    for (int w = 1; w <= scale.warehouses(); w++) {
      int wid = w;
      tasks.add((conn, r) -> warehouseAndDistricts(conn, r, wid));
      for (int from = 1; from <= scale.items(); from += STOCK_CHUNK) {
        int lo = from;
        int hi = Math.min(scale.items(), from + STOCK_CHUNK - 1);
        tasks.add((conn, r) -> stock(conn, r, wid, lo, hi));
      }
      for (int d = 1; d <= Scale.DISTRICTS; d++) {
        int did = d;
        tasks.add((conn, r) -> customers(conn, r, wid, did));
        tasks.add((conn, r) -> orders(conn, r, wid, did));
      }
    }
    return tasks;
  }

  private MultiRowInsert insert(Connection conn, String table, String columns, int... types) {
    return new MultiRowInsert(conn, table, columns, types, options.rowsPerStatement(), rows);
  }

  private static final int I = Types.INTEGER;
  private static final int V = Types.VARCHAR;
  private static final int N = Types.NUMERIC;
  private static final int T = Types.TIMESTAMP;

  private void items(Connection conn, TpccRandom r, int lo, int hi) throws SQLException {
    try (MultiRowInsert ins = insert(conn, "item", "i_id, i_im_id, i_name, i_price, i_data",
        I, I, V, N, V)) {
      for (int i = lo; i <= hi; i++) {
        ins.add(i, r.uniform(1, 10_000), r.aString(14, 24), r.decimal("1.00", "100.00", 2),
            r.data());
      }
    }
  }

  private void warehouseAndDistricts(Connection conn, TpccRandom r, int w) throws SQLException {
    try (MultiRowInsert ins = insert(conn, "warehouse",
        "w_id, w_name, w_street_1, w_street_2, w_city, w_state, w_zip, w_tax, w_ytd",
        I, V, V, V, V, V, V, N, N)) {
      ins.add(w, r.aString(6, 10), r.aString(10, 20), r.aString(10, 20), r.aString(10, 20),
          r.aString(2, 2), r.zip(), r.decimal("0.0000", "0.2000", 4), scale.initialWarehouseYtd());
    }
    try (MultiRowInsert ins = insert(conn, "district",
        "d_id, d_w_id, d_name, d_street_1, d_street_2, d_city, d_state, d_zip, d_tax, d_ytd,"
            + " d_next_o_id",
        I, I, V, V, V, V, V, V, N, N, I)) {
      for (int d = 1; d <= Scale.DISTRICTS; d++) {
        ins.add(d, w, r.aString(6, 10), r.aString(10, 20), r.aString(10, 20), r.aString(10, 20),
            r.aString(2, 2), r.zip(), r.decimal("0.0000", "0.2000", 4), scale.initialDistrictYtd(),
            scale.customersPerDistrict() + 1);
      }
    }
  }

  private void stock(Connection conn, TpccRandom r, int w, int lo, int hi) throws SQLException {
    try (MultiRowInsert ins = insert(conn, "stock",
        "s_i_id, s_w_id, s_quantity, s_dist_01, s_dist_02, s_dist_03, s_dist_04, s_dist_05,"
            + " s_dist_06, s_dist_07, s_dist_08, s_dist_09, s_dist_10, s_ytd, s_order_cnt,"
            + " s_remote_cnt, s_data",
        I, I, I, V, V, V, V, V, V, V, V, V, V, I, I, I, V)) {
      for (int i = lo; i <= hi; i++) {
        Object[] row = new Object[17];
        row[0] = i;
        row[1] = w;
        row[2] = r.uniform(10, 100);
        for (int d = 0; d < 10; d++) {
          row[3 + d] = r.aString(24, 24);
        }
        row[13] = 0;
        row[14] = 0;
        row[15] = 0;
        row[16] = r.data();
        ins.add(row);
      }
    }
  }

  private void customers(Connection conn, TpccRandom r, int w, int d) throws SQLException {
    try (MultiRowInsert cust = insert(conn, "customer",
            "c_id, c_d_id, c_w_id, c_first, c_middle, c_last, c_street_1, c_street_2, c_city,"
                + " c_state, c_zip, c_phone, c_since, c_credit, c_credit_lim, c_discount,"
                + " c_balance, c_ytd_payment, c_payment_cnt, c_delivery_cnt, c_data",
            I, I, I, V, V, V, V, V, V, V, V, V, T, V, N, N, N, N, I, I, V);
        MultiRowInsert hist = insert(conn, "history",
            "h_c_id, h_c_d_id, h_c_w_id, h_d_id, h_w_id, h_date, h_amount, h_data",
            I, I, I, I, I, T, N, V)) {
      int sequentialNames = scale.maxLastNameNumber() + 1;
      for (int cid = 1; cid <= scale.customersPerDistrict(); cid++) {
        int nameNumber = cid <= sequentialNames
            ? cid - 1 : r.lastNameNumber(scale.maxLastNameNumber());
        cust.add(cid, d, w, r.aString(8, 16), "OE", TpccRandom.lastName(nameNumber),
            r.aString(10, 20), r.aString(10, 20), r.aString(10, 20), r.aString(2, 2), r.zip(),
            r.nString(16, 16), now, r.uniform(1, 10) == 1 ? "BC" : "GC",
            new BigDecimal("50000.00"), r.decimal("0.0000", "0.5000", 4),
            new BigDecimal("-10.00"), new BigDecimal("10.00"), 1, 0, r.aString(300, 500));
        hist.add(cid, d, w, d, w, now, new BigDecimal("10.00"), r.aString(12, 24));
      }
    }
  }

  private void orders(Connection conn, TpccRandom r, int w, int d) throws SQLException {
    int n = scale.customersPerDistrict();
    int[] customerOf = new int[n];
    for (int i = 0; i < n; i++) {
      customerOf[i] = i + 1;
    }
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates: O_C_ID is a random permutation
      int j = r.uniform(0, i);
      int t = customerOf[i];
      customerOf[i] = customerOf[j];
      customerOf[j] = t;
    }
    int firstNew = scale.firstNewOrder();
    try (MultiRowInsert ord = insert(conn, "orders",
            "o_id, o_d_id, o_w_id, o_c_id, o_entry_d, o_carrier_id, o_ol_cnt, o_all_local",
            I, I, I, I, T, I, I, I);
        MultiRowInsert deliveredLines = insert(conn, "order_line",
            "ol_o_id, ol_d_id, ol_w_id, ol_number, ol_i_id, ol_supply_w_id, ol_delivery_d,"
                + " ol_quantity, ol_amount, ol_dist_info",
            I, I, I, I, I, I, T, I, N, V);
        // Undelivered lines leave OL_DELIVERY_D out (NULL), so no untyped null is bound.
        MultiRowInsert newLines = insert(conn, "order_line",
            "ol_o_id, ol_d_id, ol_w_id, ol_number, ol_i_id, ol_supply_w_id,"
                + " ol_quantity, ol_amount, ol_dist_info",
            I, I, I, I, I, I, I, N, V);
        MultiRowInsert newOrders = insert(conn, "new_order", "no_o_id, no_d_id, no_w_id",
            I, I, I)) {
      for (int o = 1; o <= n; o++) {
        boolean delivered = o < firstNew;
        int olCnt = r.uniform(5, 15);
        ord.add(o, d, w, customerOf[o - 1], now, delivered ? r.uniform(1, 10) : null, olCnt, 1);
        for (int l = 1; l <= olCnt; l++) {
          if (delivered) {
            deliveredLines.add(o, d, w, l, r.uniform(1, scale.items()), w, now, 5,
                new BigDecimal("0.00"), r.aString(24, 24));
          } else {
            newLines.add(o, d, w, l, r.uniform(1, scale.items()), w, 5,
                r.decimal("0.01", "9999.99", 2), r.aString(24, 24));
          }
        }
        if (!delivered) {
          newOrders.add(o, d, w);
        }
      }
    }
  }
}
