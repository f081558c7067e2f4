package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The consistency conditions of clause 3.3.2.1 to 3.3.2.12, all read in one transaction (one
 * snapshot) at the given isolation level. Each condition is a query that returns the rows that
 * violate it, so a passing condition returns nothing and a failing one names its first offenders.
 * 3.3.2.11 (orders minus new orders per district = 2100) only holds directly after loading and
 * is checked only when asked.
 */
public final class ConsistencyCheck {

  /** One condition: its clause number, what it says, and the query for its violations. */
  public record Condition(String clause, String description, String violationsSql) {}

  /** The outcome of one condition: violations counted, the first few shown. */
  public record Outcome(Condition condition, long violations, List<String> samples) {
    public boolean ok() {
      return violations == 0;
    }
  }

  private static final int SAMPLES = 3;

  private static final String DELIVERED_PER_CUSTOMER =
      "(SELECT o_w_id, o_d_id, o_c_id, sum(ol_amount) AS amount FROM orders, order_line"
          + " WHERE ol_w_id = o_w_id AND ol_d_id = o_d_id AND ol_o_id = o_id"
          + " AND ol_delivery_d IS NOT NULL GROUP BY o_w_id, o_d_id, o_c_id)";

  static List<Condition> conditions(Scale scale) {
    return List.of(
        new Condition("3.3.2.1", "W_YTD = sum(D_YTD)",
            "SELECT w_id, w_ytd, d.s FROM warehouse LEFT JOIN"
                + " (SELECT d_w_id, sum(d_ytd) AS s FROM district GROUP BY d_w_id) d"
                + " ON d.d_w_id = w_id WHERE d.s IS NULL OR w_ytd <> d.s"),
        new Condition("3.3.2.2", "D_NEXT_O_ID - 1 = max(O_ID) = max(NO_O_ID)",
            "SELECT d_w_id, d_id, d_next_o_id, o.m, n.m FROM district"
                + " LEFT JOIN (SELECT o_w_id, o_d_id, max(o_id) AS m FROM orders"
                + " GROUP BY o_w_id, o_d_id) o ON o.o_w_id = d_w_id AND o.o_d_id = d_id"
                + " LEFT JOIN (SELECT no_w_id, no_d_id, max(no_o_id) AS m FROM new_order"
                + " GROUP BY no_w_id, no_d_id) n ON n.no_w_id = d_w_id AND n.no_d_id = d_id"
                + " WHERE o.m IS NULL OR d_next_o_id - 1 <> o.m"
                + " OR (n.m IS NOT NULL AND d_next_o_id - 1 <> n.m)"),
        new Condition("3.3.2.3", "max(NO_O_ID) - min(NO_O_ID) + 1 = NEW-ORDER rows per district",
            "SELECT no_w_id, no_d_id, max(no_o_id) - min(no_o_id) + 1, count(*) FROM new_order"
                + " GROUP BY no_w_id, no_d_id"
                + " HAVING max(no_o_id) - min(no_o_id) + 1 <> count(*)"),
        new Condition("3.3.2.4", "sum(O_OL_CNT) = ORDER-LINE rows per district",
            "SELECT d_w_id, d_id, o.s, l.c FROM district"
                + " LEFT JOIN (SELECT o_w_id, o_d_id, sum(o_ol_cnt) AS s FROM orders"
                + " GROUP BY o_w_id, o_d_id) o ON o.o_w_id = d_w_id AND o.o_d_id = d_id"
                + " LEFT JOIN (SELECT ol_w_id, ol_d_id, count(*) AS c FROM order_line"
                + " GROUP BY ol_w_id, ol_d_id) l ON l.ol_w_id = d_w_id AND l.ol_d_id = d_id"
                + " WHERE o.s IS NULL OR l.c IS NULL OR o.s <> l.c"),
        new Condition("3.3.2.5", "O_CARRIER_ID is null iff a NEW-ORDER row exists",
            "SELECT o_w_id, o_d_id, o_id, o_carrier_id FROM orders LEFT JOIN new_order"
                + " ON no_w_id = o_w_id AND no_d_id = o_d_id AND no_o_id = o_id"
                + " WHERE (o_carrier_id IS NULL AND no_o_id IS NULL)"
                + " OR (o_carrier_id IS NOT NULL AND no_o_id IS NOT NULL)"),
        new Condition("3.3.2.6", "O_OL_CNT = ORDER-LINE rows per order",
            "SELECT o_w_id, o_d_id, o_id, o_ol_cnt, l.c FROM orders"
                + " LEFT JOIN (SELECT ol_w_id, ol_d_id, ol_o_id, count(*) AS c FROM order_line"
                + " GROUP BY ol_w_id, ol_d_id, ol_o_id) l"
                + " ON l.ol_w_id = o_w_id AND l.ol_d_id = o_d_id AND l.ol_o_id = o_id"
                + " WHERE l.c IS NULL OR o_ol_cnt <> l.c"),
        new Condition("3.3.2.7", "OL_DELIVERY_D is null iff O_CARRIER_ID is null",
            "SELECT ol_w_id, ol_d_id, ol_o_id, ol_number FROM order_line, orders"
                + " WHERE o_w_id = ol_w_id AND o_d_id = ol_d_id AND o_id = ol_o_id"
                + " AND ((ol_delivery_d IS NULL AND o_carrier_id IS NOT NULL)"
                + " OR (ol_delivery_d IS NOT NULL AND o_carrier_id IS NULL))"),
        new Condition("3.3.2.8", "W_YTD = sum(H_AMOUNT) per warehouse",
            "SELECT w_id, w_ytd, h.s FROM warehouse LEFT JOIN"
                + " (SELECT h_w_id, sum(h_amount) AS s FROM history GROUP BY h_w_id) h"
                + " ON h.h_w_id = w_id WHERE h.s IS NULL OR w_ytd <> h.s"),
        new Condition("3.3.2.9", "D_YTD = sum(H_AMOUNT) per district",
            "SELECT d_w_id, d_id, d_ytd, h.s FROM district LEFT JOIN"
                + " (SELECT h_w_id, h_d_id, sum(h_amount) AS s FROM history"
                + " GROUP BY h_w_id, h_d_id) h ON h.h_w_id = d_w_id AND h.h_d_id = d_id"
                + " WHERE h.s IS NULL OR d_ytd <> h.s"),
        new Condition("3.3.2.10",
            "C_BALANCE = sum(delivered OL_AMOUNT) - sum(H_AMOUNT) per customer",
            "SELECT c_w_id, c_d_id, c_id, c_balance, ol.amount, h.s FROM customer"
                + " LEFT JOIN " + DELIVERED_PER_CUSTOMER + " ol"
                + " ON ol.o_w_id = c_w_id AND ol.o_d_id = c_d_id AND ol.o_c_id = c_id"
                + " LEFT JOIN (SELECT h_c_w_id, h_c_d_id, h_c_id, sum(h_amount) AS s"
                + " FROM history GROUP BY h_c_w_id, h_c_d_id, h_c_id) h"
                + " ON h.h_c_w_id = c_w_id AND h.h_c_d_id = c_d_id AND h.h_c_id = c_id"
                + " WHERE c_balance <> COALESCE(ol.amount, 0) - COALESCE(h.s, 0)"),
        new Condition("3.3.2.11",
            "ORDER rows - NEW-ORDER rows = " + (scale.firstNewOrder() - 1)
                + " per district (directly after loading)",
            "SELECT d_w_id, d_id, o.c, n.c FROM district"
                + " LEFT JOIN (SELECT o_w_id, o_d_id, count(*) AS c FROM orders"
                + " GROUP BY o_w_id, o_d_id) o ON o.o_w_id = d_w_id AND o.o_d_id = d_id"
                + " LEFT JOIN (SELECT no_w_id, no_d_id, count(*) AS c FROM new_order"
                + " GROUP BY no_w_id, no_d_id) n ON n.no_w_id = d_w_id AND n.no_d_id = d_id"
                + " WHERE COALESCE(o.c, 0) - COALESCE(n.c, 0) <> " + (scale.firstNewOrder() - 1)),
        new Condition("3.3.2.12", "C_BALANCE + C_YTD_PAYMENT = sum(delivered OL_AMOUNT)",
            "SELECT c_w_id, c_d_id, c_id, c_balance, c_ytd_payment, ol.amount FROM customer"
                + " LEFT JOIN " + DELIVERED_PER_CUSTOMER + " ol"
                + " ON ol.o_w_id = c_w_id AND ol.o_d_id = c_d_id AND ol.o_c_id = c_id"
                + " WHERE c_balance + c_ytd_payment <> COALESCE(ol.amount, 0)"));
  }

  private ConsistencyCheck() {}

  /**
   * Runs the conditions in one read-only transaction at {@code isolation} (a
   * {@link Connection} TRANSACTION_ constant); {@code afterLoad} adds 3.3.2.11.
   */
  public static List<Outcome> run(Connection conn, Scale scale, int isolation, boolean afterLoad)
      throws SQLException {
    boolean autoCommit = conn.getAutoCommit();
    conn.setAutoCommit(false);
    conn.setTransactionIsolation(isolation);
    List<Outcome> outcomes = new ArrayList<>();
    try {
      for (Condition c : conditions(scale)) {
        if (c.clause().equals("3.3.2.11") && !afterLoad) {
          continue;
        }
        outcomes.add(violations(conn, c));
      }
      conn.commit();
    } catch (SQLException e) {
      conn.rollback();
      throw e;
    } finally {
      conn.setAutoCommit(autoCommit);
    }
    return outcomes;
  }

  private static Outcome violations(Connection conn, Condition c) throws SQLException {
    long n = 0;
    List<String> samples = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(c.violationsSql());
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        if (n++ < SAMPLES) {
          StringBuilder row = new StringBuilder("(");
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.append(i == 1 ? "" : ", ").append(rs.getString(i));
          }
          samples.add(row.append(')').toString());
        }
      }
    } catch (SQLException e) {
      throw new SQLException("condition " + c.clause() + " (" + c.description() + "): "
          + e.getMessage(), e.getSQLState(), e);
    }
    return new Outcome(c, n, samples);
  }

  /** One line per condition: PASS or FAIL with the violation count and first offenders. */
  public static String format(List<Outcome> outcomes) {
    StringBuilder sb = new StringBuilder();
    for (Outcome o : outcomes) {
      sb.append(String.format(Locale.ROOT, "%-4s %-9s %s", o.ok() ? "PASS" : "FAIL",
          o.condition().clause(), o.condition().description()));
      if (!o.ok()) {
        sb.append(" -- ").append(o.violations()).append(" violation(s), e.g. ")
            .append(String.join(" ", o.samples()));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
