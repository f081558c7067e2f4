package org.troupedb.sql.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.TroupeSqlEngine;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.ForwardingTxn;
import org.troupedb.sql.internal.WrappingTxnService;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

/**
 * Table scans as compiled plan operators ({@link KvTableScan}): the access path each filter
 * shape gets, the KV reads it costs, and that a narrowed read returns exactly what a full scan
 * with the same filter returns (the same predicate written so it cannot be pushed: {@code w + 0 = 1}).
 */
class KvScanTest implements SessionRunner {
  private final CountingTxnService kv = new CountingTxnService();
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    SqlEngine engine = TroupeSqlEngine.create(kv);
    s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE customer (w INT, d INT, id INT, last VARCHAR(16), first VARCHAR(16), bal NUMERIC(12,2),"
        + " PRIMARY KEY (w, d, id))");
    run("CREATE INDEX customer_by_name ON customer (w, d, last, first)");
    run("CREATE TABLE acct (id INT PRIMARY KEY, region INT, code TEXT, n INT)");
    run("CREATE UNIQUE INDEX acct_by_code ON acct (region, code)");
    StringBuilder c = new StringBuilder("INSERT INTO customer VALUES ");
    String[] names = {"ABLE", "BAR", "CALLY", "ABLE", "ESE"};
    for (int w = 1; w <= 2; w++) {
      for (int d = 1; d <= 3; d++) {
        for (int id = 1; id <= 20; id++) {
          c.append(w + d + id > 3 ? "," : "").append("(").append(w).append(",").append(d).append(",").append(id)
              .append(",'").append(names[id % names.length]).append("','f").append(40 - id).append("',")
              .append(id * 10).append(".5)");
        }
      }
    }
    run(c.toString());
    run("INSERT INTO acct VALUES (1, 1, 'a', 10), (2, 1, 'b', 20), (3, 2, 'a', 30), (4, 1, NULL, 40),"
        + " (5, NULL, 'z', 50), (6, 2, NULL, 60)");
  }

  @Test
  void explainShowsTheAccessPathAndNoInterpreter() throws Exception {
    assertThat(explain("SELECT bal FROM customer WHERE w = 1 AND d = 2 AND id = $1 AND bal > 0"))
        .contains("access=[point get customer_pkey]");
    assertThat(explain("SELECT id FROM customer WHERE w = $1 AND d = $2 AND last = $3 ORDER BY first"))
        .contains("access=[index customer_by_name on 3 columns]");
    assertThat(explain("SELECT id FROM customer WHERE w = 1 AND d = 2 AND id < 5"))
        .contains("access=[span customer_pkey on 2 columns + range]");
    assertThat(explain("SELECT id FROM customer WHERE w = 1"))
        .contains("access=[span customer_pkey on 1 column]");
    assertThat(explain("SELECT id FROM customer WHERE bal > 100"))
        .contains("filters=[[>($5, 100.00)]]").contains("access=[full scan customer_pkey]");
    assertThat(explain("SELECT n FROM acct WHERE region = 1 AND code = 'b'"))
        .contains("access=[index acct_by_code on 2 columns]");
    String join = explain("SELECT count(*) FROM customer c JOIN acct a ON a.id = c.id WHERE c.w = 2 AND a.region = 1");
    assertThat(join).contains("span customer_pkey on 1 column").contains("index acct_by_code on 1 column");
    for (String plan : List.of(join, explain("UPDATE customer SET bal = bal + 1 WHERE w = 1 AND d = 1 AND last = 'BAR'"),
        explain("DELETE FROM acct WHERE id > 4"))) {
      assertThat(plan).contains("KvTableScan").doesNotContain("Interpreter").doesNotContain("Bindable");
    }
  }

  @Test
  void indexPrefixReadsOnlyTheMatchingRows() throws Exception {
    String sql = "SELECT id, first FROM customer WHERE w = $1 AND d = $2 AND last = $3 ORDER BY first";
    rows(sql, 2, 3, "BAR"); // plan outside the count
    long scanned = kv.scanned.get();
    long gets = kv.gets.get();
    assertThat(rows(sql, 2, 3, "BAR")).containsExactly(
        List.of(16, "f24"), List.of(11, "f29"), List.of(6, "f34"), List.of(1, "f39"));
    // 4 index entries and 4 row gets, not the district's 20 rows
    assertThat(kv.scanned.get() - scanned).isEqualTo(4);
    assertThat(kv.gets.get() - gets).isEqualTo(4);
  }

  @Test
  void narrowedReadsAgreeWithFullScans() throws Exception {
    String[][] pairs = {
        {"w = 1 AND d = 2 AND id = 7", "w + 0 = 1 AND d + 0 = 2 AND id + 0 = 7"},
        {"w = 2 AND d = 1 AND last = 'ABLE'", "w + 0 = 2 AND d + 0 = 1 AND last || '' = 'ABLE'"},
        {"w = 2 AND last = 'ABLE'", "w + 0 = 2 AND last || '' = 'ABLE'"},
        {"w = 1 AND d = 3 AND id >= 4 AND id < 9", "w + 0 = 1 AND d + 0 = 3 AND id + 0 >= 4 AND id + 0 < 9"},
        {"w = 1 AND d IN (1, 3) AND id BETWEEN 3 AND 5", "w + 0 = 1 AND d + 0 IN (1, 3) AND id + 0 BETWEEN 3 AND 5"},
        {"w = 2 AND d = 2 AND id > 18.5", "w + 0 = 2 AND d + 0 = 2 AND id + 0 > 18.5"},
        {"w = 1 AND d = 1 AND id = 3000000000", "w + 0 = 1 AND d + 0 = 1 AND id + 0 = 3000000000"},
        {"w > 1 AND bal < 60", "w + 0 > 1 AND bal + 0 < 60"},
        {"w = 1 AND d = 2 AND last = 'ESE' AND first = 'f35'", "w + 0 = 1 AND d + 0 = 2 AND last || '' = 'ESE' AND first || '' = 'f35'"},
    };
    for (String[] p : pairs) {
      List<List<Object>> narrowed = rows("SELECT w, d, id, last, first, bal FROM customer WHERE " + p[0] + " ORDER BY w, d, id");
      assertThat(narrowed).as(p[0]).isEqualTo(rows("SELECT w, d, id, last, first, bal FROM customer WHERE " + p[1]
          + " ORDER BY w, d, id"));
    }
    assertThat(rows("SELECT id FROM customer WHERE w = 1 AND d = 2 AND last = 'CALLY'")).hasSize(4);
  }

  @Test
  void joinOnTheWholeKeyOfTheRightTableIsOnePointGetPerLeftRow() throws Exception {
    String sql = "SELECT count(DISTINCT c.last) FROM acct a, customer c"
        + " WHERE a.region = $1 AND c.w = $2 AND c.d = 2 AND c.id = a.n / 10 AND c.bal > $3";
    assertThat(explain(sql)).contains("EnumerableCorrelate").contains("access=[point get customer_pkey]");
    rows(sql, 1, 1, 0); // plan outside the count
    long scanned = kv.scanned.get();
    long gets = kv.gets.get();
    // region 1: accounts 1, 2, 4 → customers (1, 2, 1), (1, 2, 2), (1, 2, 4): BAR, CALLY, ESE
    assertThat(rows(sql, 1, 1, 0)).containsExactly(List.of(3L));
    assertThat(kv.scanned.get() - scanned).as("the acct_by_code entries only").isEqualTo(3);
    assertThat(kv.gets.get() - gets).as("3 accounts, 3 customers").isEqualTo(6);
    assertThat(rows(sql, 1, 1, 100)).containsExactly(List.of(0L));
    assertThat(rows(sql, 2, 2, 0)).isEqualTo(rows("SELECT count(DISTINCT c.last) FROM acct a, customer c"
        + " WHERE a.region + 0 = 2 AND c.w + 0 = 2 AND c.d + 0 = 2 AND c.id + 0 = a.n / 10 AND c.bal + 0 > 0"));
  }

  @Test
  void tpccStockLevelLooksUpStockRows() throws Exception {
    run("CREATE TABLE order_line (ol_w_id INT, ol_d_id INT, ol_o_id INT, ol_number INT, ol_i_id INT,"
        + " PRIMARY KEY (ol_w_id, ol_d_id, ol_o_id, ol_number))");
    run("CREATE TABLE stock (s_w_id INT, s_i_id INT, s_quantity INT, PRIMARY KEY (s_w_id, s_i_id))");
    run("INSERT INTO order_line VALUES (1, 1, 5, 1, 7), (1, 1, 5, 2, 8), (1, 1, 6, 1, 7), (1, 1, 9, 1, 9), (1, 2, 5, 1, 9)");
    run("INSERT INTO stock VALUES (1, 7, 5), (1, 8, 50), (1, 9, 1), (2, 7, 1)");
    String sql = "SELECT count(DISTINCT s_i_id) FROM order_line, stock"
        + " WHERE ol_w_id = $1 AND ol_d_id = $2 AND ol_o_id < $3 AND ol_o_id >= $4"
        + " AND s_w_id = $5 AND s_i_id = ol_i_id AND s_quantity < $6";
    assertThat(explain(sql)).contains("EnumerableCorrelate").contains("access=[point get stock_pkey]")
        .contains("access=[span order_line_pkey on 2 columns + range]");
    assertThat(rows(sql, 1, 1, 10, 5, 1, 10)).containsExactly(List.of(2L)); // items 7 and 9
    assertThat(rows(sql, 1, 1, 9, 5, 1, 100)).containsExactly(List.of(2L)); // items 7 and 8
    assertThat(rows(sql, 1, 1, 10, 5, 2, 10)).containsExactly(List.of(1L)); // item 7 of warehouse 2
  }

  @Test
  void uniqueIndexPrefixesAndNullsReadTheRightRows() throws Exception {
    assertThat(rows("SELECT id FROM acct WHERE region = 1 ORDER BY id"))
        .containsExactly(List.of(1), List.of(2), List.of(4));
    assertThat(rows("SELECT id FROM acct WHERE region = 2 AND code = 'a'")).containsExactly(List.of(3));
    assertThat(rows("SELECT id FROM acct WHERE region = $1 AND code = $2", 1, null)).isEmpty();
    assertThat(rows("SELECT id FROM acct WHERE region = $1 ORDER BY id", (Object) null)).isEmpty();
    assertThat(rows("SELECT id FROM acct WHERE region IS NULL")).containsExactly(List.of(5));
  }

  @Test
  void updatesAndDeletesFindTheirRowsThroughTheIndex() throws Exception {
    StatementResult up = run("UPDATE customer SET bal = bal + 1 WHERE w = $1 AND d = $2 AND last = $3", 1, 1, "ESE");
    assertThat(up.commandTag()).isEqualTo("UPDATE 4");
    assertThat(rows("SELECT id, bal FROM customer WHERE w = 1 AND d = 1 AND last = 'ESE' ORDER BY id")).containsExactly(
        List.of(4, new java.math.BigDecimal("41.50")), List.of(9, new java.math.BigDecimal("91.50")),
        List.of(14, new java.math.BigDecimal("141.50")), List.of(19, new java.math.BigDecimal("191.50")));
    // the index entries moved with the rows: a changed name is found under the new name only
    run("UPDATE customer SET last = 'ZED' WHERE w = 1 AND d = 1 AND id = 4");
    assertThat(rows("SELECT id FROM customer WHERE w = 1 AND d = 1 AND last = 'ZED'")).containsExactly(List.of(4));
    assertThat(rows("SELECT count(*) FROM customer WHERE w = 1 AND d = 1 AND last = 'ESE'")).containsExactly(List.of(3L));
    assertThat(run("DELETE FROM acct WHERE region = 1 AND code = 'b'").commandTag()).isEqualTo("DELETE 1");
    assertThat(rows("SELECT id FROM acct ORDER BY id")).containsExactly(
        List.of(1), List.of(3), List.of(4), List.of(5), List.of(6));
  }

  private String explain(String sql) throws SqlException {
    StringBuilder b = new StringBuilder();
    for (List<Object> r : rows("EXPLAIN " + sql)) {
      b.append(r.get(0)).append('\n');
    }
    return b.toString();
  }

  @Override
  public SqlSession session() {
    return s;
  }

  /** The in-memory service, counting point gets and the key-values scans return. */
  static final class CountingTxnService extends WrappingTxnService {
    final AtomicLong gets = new AtomicLong();
    final AtomicLong scanned = new AtomicLong();

    @Override
    protected Txn wrap(Txn t, TxnOptions options) {
      return new ForwardingTxn(t) {
        @Override
        public CompletionStage<byte[]> get(byte[] key) {
          if (key[0] == Catalog.TABLE_PREFIX) {
            gets.incrementAndGet();
          }
          return delegate.get(key);
        }

        @Override
        public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
          return delegate.scan(start, end, limit).thenApply(page -> {
            if (start[0] == Catalog.TABLE_PREFIX) {
              scanned.addAndGet(page.size());
            }
            return page;
          });
        }
      };
    }
  }
}
