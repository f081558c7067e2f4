package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.LocalPostgres;

/**
 * Issue 14: the TPC-C schema as BenchBase writes it for PostgreSQL (ten composite foreign keys ON
 * DELETE CASCADE, a table-level UNIQUE; {@code tpcc-fk/ddl-postgres.sql}) is created as written,
 * loaded through pgjdbc batches, and its foreign keys enforced — the same script and load run on a
 * real PostgreSQL 15, and the two must agree on every table's row count after a warehouse is
 * deleted, and on the orphan insert's error.
 */
class TpccForeignKeysIT extends InProcessNodeFixture {
  private static final List<String> TABLES = List.of("warehouse", "item", "stock", "district", "customer",
      "history", "oorder", "new_order", "order_line");
  private static final int WAREHOUSES = 2;
  private static final int DISTRICTS = 3;
  private static final int CUSTOMERS = 4;
  private static final int ITEMS = 20;

  private LocalPostgres postgres;

  @BeforeAll
  void startPostgres() {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void schemaLoadsAndDeletingAWarehouseCascadesAsInPostgres() throws Exception {
    try (Connection troupe = connect(true);
        Connection pg = DriverManager.getConnection(postgres.jdbcUrl())) {
      for (Connection c : List.of(troupe, pg)) {
        createAndLoad(c);
      }
      assertThat(counts(troupe)).isEqualTo(counts(pg));
      assertThat(count(troupe, "SELECT count(*) FROM pg_catalog.pg_constraint WHERE contype = 'f'")).isEqualTo(10);
      assertThat(count(troupe, "SELECT count(*) FROM order_line")).isEqualTo((long) WAREHOUSES * DISTRICTS * CUSTOMERS * 3);

      for (Connection c : List.of(troupe, pg)) {
        try (Statement st = c.createStatement()) {
          assertThat(st.executeUpdate("DELETE FROM warehouse WHERE w_id = 1")).isEqualTo(1);
        }
      }
      Map<String, Long> after = counts(troupe);
      assertThat(after).isEqualTo(counts(pg));
      // Everything of warehouse 1 went, warehouse 2 and the items stayed.
      assertThat(after.get("warehouse")).isEqualTo(1);
      assertThat(after.get("district")).isEqualTo(DISTRICTS);
      assertThat(after.get("item")).isEqualTo(ITEMS);
      // Warehouse 2's third lines are supplied by warehouse 1: they go with its stock.
      assertThat(after.get("order_line")).isEqualTo((long) DISTRICTS * CUSTOMERS * 2);
      assertThat(count(troupe, "SELECT count(*) FROM customer WHERE c_w_id = 1")).isZero();
      assertThat(count(troupe, "SELECT count(*) FROM history WHERE h_w_id = 1 OR h_c_w_id = 1")).isZero();

      String orphan = "INSERT INTO order_line VALUES (2, 1, 999, 1, 1, NULL, 1.00, 2, 1, 'x')";
      SQLException onTroupe = error(troupe, orphan);
      SQLException onPg = error(pg, orphan);
      assertThat(onTroupe.getSQLState()).isEqualTo("23503").isEqualTo(onPg.getSQLState());
      assertThat(onTroupe.getMessage()).isEqualTo(onPg.getMessage());
      assertThat(onTroupe.getMessage()).contains("violates foreign key constraint \"order_line_ol_w_id_ol_d_id_ol_o_id_fkey\"",
          "Key (ol_w_id, ol_d_id, ol_o_id)=(2, 1, 999) is not present in table \"oorder\".");
      // A duplicate of the table-level UNIQUE (o_w_id, o_d_id, o_c_id, o_id) is refused as well.
      assertThatThrownBy(() -> troupe.createStatement().executeUpdate(
          "INSERT INTO oorder VALUES (2, 1, 1, 1, NULL, 3, 1, '2024-01-01')"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
    }
  }

  private static SQLException error(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("no error for " + sql);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<String, Long> counts(Connection c) throws SQLException {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String t : TABLES) {
      m.put(t, count(c, "SELECT count(*) FROM " + t));
    }
    return m;
  }

  /** Runs the DDL script and loads a small, deterministic data set with batched prepared inserts. */
  private static void createAndLoad(Connection c) throws SQLException, IOException {
    try (Statement st = c.createStatement()) {
      for (String ddl : statements()) {
        st.execute(ddl);
      }
    }
    c.setAutoCommit(false);
    batch(c, "INSERT INTO warehouse VALUES (?, 300000.00, 0.1000, 'w', 's1', 's2', 'city', 'st', '123456789')",
        rows(WAREHOUSES, w -> new Object[] {w}));
    batch(c, "INSERT INTO item VALUES (?, 'item', 9.99, 'data', ?)", rows(ITEMS, i -> new Object[] {i, i}));
    List<Object[]> stock = new ArrayList<>();
    List<Object[]> districts = new ArrayList<>();
    List<Object[]> customers = new ArrayList<>();
    List<Object[]> history = new ArrayList<>();
    List<Object[]> orders = new ArrayList<>();
    List<Object[]> newOrders = new ArrayList<>();
    List<Object[]> lines = new ArrayList<>();
    for (int w = 1; w <= WAREHOUSES; w++) {
      for (int i = 1; i <= ITEMS; i++) {
        stock.add(new Object[] {w, i});
      }
      for (int d = 1; d <= DISTRICTS; d++) {
        districts.add(new Object[] {w, d});
        for (int cu = 1; cu <= CUSTOMERS; cu++) {
          customers.add(new Object[] {w, d, cu, "last" + cu});
          history.add(new Object[] {cu, d, w, d, w});
          orders.add(new Object[] {w, d, cu, cu});
          if (cu % 2 == 0) {
            newOrders.add(new Object[] {w, d, cu});
          }
          for (int n = 1; n <= 3; n++) {
            // The supplying warehouse is the other one: deleting warehouse 1 also cascades via stock.
            lines.add(new Object[] {w, d, cu, n, n, n == 3 ? WAREHOUSES + 1 - w : w});
          }
        }
      }
    }
    batch(c, "INSERT INTO stock VALUES (?, ?, 50, 0, 0, 0, 'data', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8',"
        + " 'd9', 'd10')", stock);
    batch(c, "INSERT INTO district VALUES (?, ?, 30000.00, 0.1000, 3001, 'd', 's1', 's2', 'city', 'st', '123456789')",
        districts);
    batch(c, "INSERT INTO customer (c_w_id, c_d_id, c_id, c_discount, c_credit, c_last, c_first, c_credit_lim,"
        + " c_balance, c_ytd_payment, c_payment_cnt, c_delivery_cnt, c_street_1, c_street_2, c_city, c_state, c_zip,"
        + " c_phone, c_middle, c_data) VALUES (?, ?, ?, 0.1000, 'GC', ?, 'first', 50000.00, -10.00, 10.0, 1, 0,"
        + " 's1', 's2', 'city', 'st', '123456789', '1234567890123456', 'OE', 'data')", customers);
    batch(c, "INSERT INTO history (h_c_id, h_c_d_id, h_c_w_id, h_d_id, h_w_id, h_amount, h_data)"
        + " VALUES (?, ?, ?, ?, ?, 10.00, 'h')", history);
    batch(c, "INSERT INTO oorder (o_w_id, o_d_id, o_id, o_c_id, o_ol_cnt, o_all_local) VALUES (?, ?, ?, ?, 3, 1)",
        orders);
    batch(c, "INSERT INTO new_order VALUES (?, ?, ?)", newOrders);
    batch(c, "INSERT INTO order_line VALUES (?, ?, ?, ?, ?, NULL, 5.00, ?, 5, 'dist')", lines);
    c.commit();
    c.setAutoCommit(true);
  }

  private interface RowOf {
    Object[] row(int i);
  }

  private static List<Object[]> rows(int n, RowOf f) {
    List<Object[]> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(f.row(i));
    }
    return out;
  }

  private static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Object[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          ps.setObject(i + 1, r[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static List<String> statements() throws IOException {
    try (InputStream in = TpccForeignKeysIT.class.getResourceAsStream("/tpcc-fk/ddl-postgres.sql")) {
      StringBuilder sb = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("--")) {
          sb.append(line).append('\n');
        }
      }
      List<String> out = new ArrayList<>();
      for (String s : sb.toString().split(";")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
      return out;
    }
  }
}
