package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pgjdbc at {@code prepareThreshold} 0, 1 and 5: after a statement's first use, its Parse messages
 * (unnamed ones before the threshold, BEGIN and COMMIT) neither parse nor plan again (the node's
 * {@code troupe_sql_*} counters in /metrics), and DDL and another parameter type give the right
 * answers afterwards.
 */
class StatementReuseIT extends InProcessNodeFixture {

  @BeforeAll
  void warmed() throws Exception {
    node.catalogWarmed().get(3, TimeUnit.MINUTES); // its statements would count too
  }

  /** The node's {@code troupe_*} counters. */
  static Map<String, Long> counters(TroupeNode node) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.httpAddress().getPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    Map<String, Long> out = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("troupe_") && !line.contains("{")) {
        int sp = line.lastIndexOf(' ');
        out.put(line.substring(0, sp), (long) Double.parseDouble(line.substring(sp + 1)));
      }
    }
    return out;
  }

  private static long delta(String name, Map<String, Long> before, Map<String, Long> after) {
    return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
  }

  private static List<Object> column(PreparedStatement ps) throws SQLException {
    List<Object> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getObject(1));
      }
    }
    return out;
  }

  /** One round of an application's work: an INSERT, a point SELECT, and both in a transaction block. */
  private static void round(Connection c, String table, int id) throws SQLException {
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
      ins.setInt(1, id);
      ins.setString(2, "v" + id);
      assertThat(ins.executeUpdate()).isEqualTo(1);
    }
    try (PreparedStatement sel = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
      sel.setInt(1, id);
      assertThat(column(sel)).containsExactly("v" + id);
    }
    c.setAutoCommit(false);
    try (PreparedStatement sel = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?");
        PreparedStatement upd = c.prepareStatement("UPDATE " + table + " SET v = ? WHERE id = ?")) {
      upd.setString(1, "w" + id);
      upd.setInt(2, id);
      assertThat(upd.executeUpdate()).isEqualTo(1);
      sel.setInt(1, id);
      assertThat(column(sel)).containsExactly("w" + id);
    }
    c.commit();
    c.setAutoCommit(true);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5})
  void afterItsFirstUseAStatementIsNeitherParsedNorPlannedAgain(int threshold) throws Exception {
    String table = "reuse_" + threshold;
    try (Connection c = connect("&prepareThreshold=" + threshold); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v TEXT)");
      for (int id = 1; id <= 6; id++) {
        round(c, table, id); // past the threshold: pgjdbc's named statements exist from here on
      }
      Map<String, Long> before = counters(node);
      for (int id = 7; id <= 26; id++) {
        round(c, table, id);
      }
      Map<String, Long> after = counters(node);
      assertThat(delta("troupe_sql_executions_total", before, after)).as("executions").isGreaterThanOrEqualTo(20 * 6);
      assertThat(delta("troupe_sql_parses_total", before, after)).as("Calcite parses").isZero();
      assertThat(delta("troupe_sql_plannings_total", before, after)).as("plannings").isZero();
      assertThat(delta("troupe_sql_plans_built_total", before, after)).as("plans built").isZero();
      long prepares = delta("troupe_sql_prepares_total", before, after);
      assertThat(delta("troupe_sql_prepare_cache_hits_total", before, after)).as("prepares from the cache")
          .isEqualTo(prepares);
      if (threshold == 0) {
        assertThat(prepares).as("a Parse per execution, unnamed").isGreaterThanOrEqualTo(20 * 4);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5})
  void ddlAndAnotherParameterTypeGiveTheRightAnswers(int threshold) throws Exception {
    String t = "ddl_" + threshold;
    try (Connection c = connect("&prepareThreshold=" + threshold); Statement st = c.createStatement();
        PreparedStatement byV = c.prepareStatement("SELECT id FROM " + t + " WHERE v = ?");
        PreparedStatement byId = c.prepareStatement("SELECT v FROM " + t + " WHERE id = ?")) {
      st.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)");
      st.execute("INSERT INTO " + t + " VALUES (1, 10), (2, 20), (3, 30)");
      for (int i = 0; i < 6; i++) {
        byV.setInt(1, 20);
        assertThat(column(byV)).containsExactly(2);
      }
      Map<String, Long> before = counters(node);
      st.execute("CREATE INDEX " + t + "_v ON " + t + " (v)");
      byV.setInt(1, 30);
      assertThat(column(byV)).containsExactly(3);
      assertThat(delta("troupe_sql_plannings_total", before, counters(node))).as("planned again after CREATE INDEX")
          .isPositive();
      st.execute("DROP INDEX " + t + "_v");
      byV.setInt(1, 10);
      assertThat(column(byV)).containsExactly(1);

      st.execute("ALTER TABLE " + t + " ADD COLUMN w INT");
      st.execute("UPDATE " + t + " SET w = v * 2");
      try (PreparedStatement all = c.prepareStatement("SELECT * FROM " + t + " WHERE id = ?")) {
        all.setInt(1, 2);
        try (ResultSet rs = all.executeQuery()) {
          assertThat(rs.getMetaData().getColumnCount()).isEqualTo(3);
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt("w")).isEqualTo(40);
        }
      }

      st.execute("DROP TABLE " + t);
      st.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)");
      st.execute("INSERT INTO " + t + " VALUES (7, 20)");
      for (int i = 0; i < 3; i++) {
        byV.setInt(1, 20);
        assertThat(column(byV)).as("the new table's row").containsExactly(7);
      }

      // the same text with other declared types: int4, int8, int2, numeric, then int4 again
      for (int i = 0; i < 2; i++) {
        byId.setInt(1, 7);
        assertThat(column(byId)).containsExactly(20);
        byId.setLong(1, 7L);
        assertThat(column(byId)).containsExactly(20);
        byId.setShort(1, (short) 7);
        assertThat(column(byId)).containsExactly(20);
        byId.setBigDecimal(1, new java.math.BigDecimal("7"));
        assertThat(column(byId)).containsExactly(20);
        byId.setLong(1, 8L);
        assertThat(column(byId)).isEmpty();
      }
    }
  }
}
