package org.troupedb.bench.tpcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;

/**
 * The whole benchmark against a real PostgreSQL at the NON-SPEC tiny scale (2 warehouses, 1,000
 * items, 30 customers per district): load, check, corrupt on purpose (each corruption must fail
 * exactly the conditions it breaks, then is undone), run the mix, check again, write the report.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TpccEndToEndTest {

  private static final Scale SCALE = Scale.tiny(2);
  private static LocalPostgres pg;
  private static Db db;

  @BeforeAll
  static void load() throws Exception {
    pg = LocalPostgres.start();
    db = new Db(pg.jdbcUrl(), null, null);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    long rows = new Loader(db, SCALE, new Loader.Options(3, 100, 42),
        new PrintStream(progress, true, StandardCharsets.UTF_8)).load();
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("load: ");
    assertThat(rows).isEqualTo(count("item") + count("warehouse") + count("district")
        + count("customer") + count("history") + count("orders") + count("order_line")
        + count("new_order") + count("stock"));
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  @Order(1)
  void populationHasTheSpecifiedShape() throws Exception {
    assertThat(count("item")).isEqualTo(1_000);
    assertThat(count("warehouse")).isEqualTo(2);
    assertThat(count("district")).isEqualTo(20);
    assertThat(count("customer")).isEqualTo(600);
    assertThat(count("history")).isEqualTo(600);
    assertThat(count("orders")).isEqualTo(600);
    assertThat(count("new_order")).isEqualTo(180);
    assertThat(count("stock")).isEqualTo(2_000);
    assertThat(scalar("SELECT min(o_ol_cnt) >= 5 AND max(o_ol_cnt) <= 15 FROM orders")).isEqualTo("t");
    assertThat(scalar("SELECT count(*) FROM orders WHERE o_carrier_id IS NULL")).isEqualTo("180");
    assertThat(scalar("SELECT count(DISTINCT o_c_id) FROM orders WHERE o_w_id = 1 AND o_d_id = 1"))
        .isEqualTo("30"); // O_C_ID is a permutation
    assertThat(scalar("SELECT c_last FROM customer WHERE c_w_id = 1 AND c_d_id = 1 AND c_id = 1"))
        .isEqualTo("BARBARBAR");
    assertThat(scalar("SELECT count(*) FROM customer WHERE c_credit NOT IN ('GC', 'BC')"))
        .isEqualTo("0");
  }

  /** A deliberate corruption, how to undo it, and exactly the conditions it must fail. */
  record Corruption(String sql, String undo, Set<String> fails) {}

  @Test
  @Order(2)
  void checkPassesAfterLoadAndFailsEachCorruptionByName() throws Exception {
    assertThat(failing(true)).isEmpty();
    List<Corruption> corruptions = List.of(
        new Corruption("UPDATE district SET d_next_o_id = d_next_o_id + 1 WHERE d_w_id = 1 AND d_id = 1",
            "UPDATE district SET d_next_o_id = d_next_o_id - 1 WHERE d_w_id = 1 AND d_id = 1",
            Set.of("3.3.2.2")),
        new Corruption("UPDATE district SET d_ytd = d_ytd + 1 WHERE d_w_id = 2 AND d_id = 3",
            "UPDATE district SET d_ytd = d_ytd - 1 WHERE d_w_id = 2 AND d_id = 3",
            Set.of("3.3.2.1", "3.3.2.9")),
        new Corruption("DELETE FROM new_order WHERE no_w_id = 1 AND no_d_id = 2 AND no_o_id = 23",
            "INSERT INTO new_order VALUES (23, 2, 1)",
            Set.of("3.3.2.3", "3.3.2.5", "3.3.2.11")),
        new Corruption("UPDATE orders SET o_ol_cnt = o_ol_cnt + 1 WHERE o_w_id = 1 AND o_d_id = 1 AND o_id = 1",
            "UPDATE orders SET o_ol_cnt = o_ol_cnt - 1 WHERE o_w_id = 1 AND o_d_id = 1 AND o_id = 1",
            Set.of("3.3.2.4", "3.3.2.6")),
        new Corruption("UPDATE order_line SET ol_delivery_d = NULL"
                + " WHERE ol_w_id = 1 AND ol_d_id = 1 AND ol_o_id = 1 AND ol_number = 1",
            "UPDATE order_line SET ol_delivery_d = CURRENT_TIMESTAMP"
                + " WHERE ol_w_id = 1 AND ol_d_id = 1 AND ol_o_id = 1 AND ol_number = 1",
            Set.of("3.3.2.7")),
        new Corruption("INSERT INTO history VALUES (1, 1, 1, 1, 1, CURRENT_TIMESTAMP, 5.00, 'x')",
            "DELETE FROM history WHERE h_data = 'x'",
            Set.of("3.3.2.8", "3.3.2.9", "3.3.2.10")),
        new Corruption("UPDATE customer SET c_balance = c_balance + 1"
                + " WHERE c_w_id = 2 AND c_d_id = 2 AND c_id = 2",
            "UPDATE customer SET c_balance = c_balance - 1 WHERE c_w_id = 2 AND c_d_id = 2 AND c_id = 2",
            Set.of("3.3.2.10", "3.3.2.12")),
        new Corruption("UPDATE orders SET o_carrier_id = 1 WHERE o_w_id = 2 AND o_d_id = 1 AND o_id = 30",
            "UPDATE orders SET o_carrier_id = NULL WHERE o_w_id = 2 AND o_d_id = 1 AND o_id = 30",
            Set.of("3.3.2.5", "3.3.2.7")));
    for (Corruption c : corruptions) {
      execute(c.sql());
      assertThat(failing(true)).as(c.sql()).isEqualTo(c.fails());
      execute(c.undo());
      assertThat(failing(true)).as("after undoing " + c.sql()).isEmpty();
    }
    // The example of the issue: the check names the broken condition.
    execute("UPDATE district SET d_next_o_id = d_next_o_id + 1 WHERE d_w_id = 2 AND d_id = 2");
    try (Connection conn = db.connect()) {
      String text = ConsistencyCheck.format(ConsistencyCheck.run(conn, SCALE,
          Connection.TRANSACTION_REPEATABLE_READ, true));
      assertThat(text).contains("FAIL 3.3.2.2   D_NEXT_O_ID - 1 = max(O_ID) = max(NO_O_ID)"
          + " -- 1 violation(s), e.g. (2, 2, 32, 30, 30)");
    }
    execute("UPDATE district SET d_next_o_id = d_next_o_id - 1 WHERE d_w_id = 2 AND d_id = 2");
  }

  @Test
  @Order(3)
  void runsTheMixThenEveryConditionStillHolds(@TempDir Path out) throws Exception {
    Driver.Options o = new Driver.Options("pg", 3, Duration.ofSeconds(5), Duration.ofSeconds(1),
        false, Connection.TRANSACTION_SERIALIZABLE, "serializable", 42);
    Path results = out.resolve(TpccCli.DELIVERY_RESULTS);
    Report r = Driver.run(db, SCALE, o, results);

    assertThat(r.errorSamples()).isEmpty();
    assertThat(r.totalErrors()).isZero();
    Report.TxnSummary no = r.of(TxnType.NEW_ORDER);
    assertThat(no.commits()).isPositive();
    assertThat(r.tpmC()).isEqualTo(no.completed() / (5 / 60.0), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.efficiencyPercent()).isEqualTo(100 * r.tpmC() / (12.86 * 2),
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.of(TxnType.PAYMENT).commits()).isPositive();
    assertThat(no.p50Ms()).isPositive().isLessThanOrEqualTo(no.p99Ms());
    assertThat(no.p99Ms()).isLessThanOrEqualTo(no.maxMs());
    long total = r.transactions().stream().mapToLong(Report.TxnSummary::completed).sum();
    long inTimeline = 0;
    for (Report.Point p : r.timeline().points()) {
      inTimeline += Math.round(p.txPerSecond() * r.timeline().intervalSeconds());
    }
    assertThat(inTimeline).isEqualTo(total);
    // Orders placed during the run: D_NEXT_O_ID moved by exactly the committed New-Orders.
    assertThat(Long.parseLong(scalar("SELECT sum(d_next_o_id) FROM district")))
        .isGreaterThanOrEqualTo(20L * 31 + no.commits());

    assertThat(failing(false)).isEmpty();
    long delivered = Long.parseLong(scalar("SELECT count(*) FROM orders")) - count("new_order");
    if (delivered > 20L * 21) { // some Delivery delivered an order: 3.3.2.11 no longer holds
      assertThat(failing(true)).containsExactly("3.3.2.11");
    }

    // Deferred Delivery (clause 2.7.2): every request was queued, then executed by the worker and
    // written to the result file; the deferred stats count those queued in the measured window.
    Report.DeferredDeliveries dd = r.deferredDelivery();
    assertThat(dd.queued()).isPositive().isEqualTo(r.of(TxnType.DELIVERY).commits());
    assertThat(dd.completed()).isEqualTo(dd.queued());
    assertThat(dd.unfinished()).isZero();
    assertThat(dd.p50Ms()).isPositive().isLessThanOrEqualTo(dd.p99Ms());
    assertThat(dd.p99Ms()).isLessThanOrEqualTo(dd.maxMs()).isLessThan(80_000);
    assertThat(dd.percentWithin80s()).isEqualTo(100.0);
    assertThat(dd.pass()).isTrue();
    assertThat(r.table()).contains("deferred Delivery", "clause 5.2.5.4", "PASS");
    List<String> lines = Files.readAllLines(results);
    assertThat((long) lines.size()).isGreaterThanOrEqualTo(dd.completed());
    java.util.regex.Pattern line = java.util.regex.Pattern.compile("queued=(\\S+) warehouse=([12])"
        + " carrier=(\\d+) completed=(\\S+) skipped=(\\d+)");
    long skipped = 0;
    for (String l : lines) {
      java.util.regex.Matcher m = line.matcher(l);
      assertThat(m.matches()).as(l).isTrue();
      assertThat(Integer.parseInt(m.group(3))).isBetween(1, 10);
      assertThat(java.time.Instant.parse(m.group(4)))
          .isAfterOrEqualTo(java.time.Instant.parse(m.group(1)));
      skipped += Integer.parseInt(m.group(5));
      assertThat(Integer.parseInt(m.group(5))).isBetween(0, 10);
    }
    assertThat(skipped).isGreaterThanOrEqualTo(dd.skippedDistricts());
    // Each delivered district took one NEW_ORDER row: the file accounts for all of them (orders
    // placed during warm-up included, hence D_NEXT_O_ID rather than the measured commits).
    long placed = Long.parseLong(scalar("SELECT sum(d_next_o_id) FROM district")) - 20L * 31;
    assertThat(180L + placed - count("new_order")).isEqualTo(10L * lines.size() - skipped);

    TpccCli.writeFiles(out, r, null);
    JsonNode json = new ObjectMapper().readTree(out.resolve("tpcc-pg.json").toFile());
    assertThat(json.at("/report/tpmC").asDouble()).isEqualTo(r.tpmC());
    assertThat(json.at("/report/transactions/0/name").asText()).isEqualTo("New-Order");
    assertThat(json.at("/report/efficiencyFormula").asText()).contains("12.86");
    assertThat(json.at("/report/deferredDelivery/queued").asLong()).isEqualTo(dd.queued());
    assertThat(json.at("/report/deferredDelivery/pass").asBoolean()).isTrue();
    String html = Files.readString(out.resolve("tpcc-pg.html"));
    assertThat(html).contains("<svg", "<polyline", "tpmC", "Stock-Level", "Deferred Delivery",
        "5.2.5.4").doesNotContain("http://c");
  }

  @Test
  @Order(4)
  void cliChecksAndRefusesBadOptions() {
    String url = pg.jdbcUrl();
    assertThat(TpccCli.execute("check", "--url", url, "--warehouses", "2", "--test-scale"))
        .isZero();
    assertThat(TpccCli.execute("run", "--url", url, "--think-time", "maybe")).isEqualTo(2);
    assertThat(TpccCli.execute("bogus")).isEqualTo(2);
  }

  private static Set<String> failing(boolean afterLoad) throws SQLException {
    try (Connection conn = db.connect()) {
      return ConsistencyCheck.run(conn, SCALE, Connection.TRANSACTION_SERIALIZABLE, afterLoad)
          .stream().filter(o -> !o.ok()).map(o -> o.condition().clause())
          .collect(Collectors.toSet());
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection conn = db.connect(); Statement s = conn.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(String table) throws SQLException {
    return Long.parseLong(scalar("SELECT count(*) FROM " + table));
  }

  private static String scalar(String sql) throws SQLException {
    try (Connection conn = db.connect(); Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
