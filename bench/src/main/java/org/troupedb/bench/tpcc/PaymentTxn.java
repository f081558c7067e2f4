package org.troupedb.bench.tpcc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * Payment (clause 2.5). Input: a random district of the home warehouse; the customer is in that
 * district 85% of the time, otherwise in a random district of another warehouse (when there is
 * more than one); 60% by last name; H_AMOUNT in [1.00..5000.00].
 */
record PaymentTxn(int warehouse, int district, CustomerRef customer, BigDecimal amount)
    implements TpccTxn {

  static PaymentTxn generate(TpccRandom r, Home home, Scale scale) {
    int district = r.uniform(1, Scale.DISTRICTS);
    int cWarehouse = home.warehouse();
    int cDistrict = district;
    if (scale.warehouses() > 1 && r.percent() > 85) {
      cWarehouse = NewOrderTxn.otherWarehouse(r, home.warehouse(), scale.warehouses());
      cDistrict = r.uniform(1, Scale.DISTRICTS);
    }
    return new PaymentTxn(home.warehouse(), district,
        CustomerRef.generate(r, cWarehouse, cDistrict, scale), r.decimal("1.00", "5000.00", 2));
  }

  @Override
  public TxnType type() {
    return TxnType.PAYMENT;
  }

  @Override
  public Result execute(Connection conn) throws SQLException {
    Jdbc.update(conn, "UPDATE warehouse SET w_ytd = w_ytd + ? WHERE w_id = ?", amount, warehouse);
    String wName = name(conn, "SELECT w_name, w_street_1, w_street_2, w_city, w_state, w_zip"
        + " FROM warehouse WHERE w_id = ?", "warehouse " + warehouse, warehouse);
    Jdbc.update(conn, "UPDATE district SET d_ytd = d_ytd + ? WHERE d_w_id = ? AND d_id = ?",
        amount, warehouse, district);
    String dName = name(conn, "SELECT d_name, d_street_1, d_street_2, d_city, d_state, d_zip"
        + " FROM district WHERE d_w_id = ? AND d_id = ?",
        "district " + warehouse + "/" + district, warehouse, district);
    int cw = customer.warehouse();
    int cd = customer.district();
    int cid = customer.resolve(conn);
    String credit;
    String data;
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT c_first, c_middle, c_last, c_street_1, c_street_2, c_city, c_state, c_zip,"
                + " c_phone, c_since, c_credit, c_credit_lim, c_discount, c_balance, c_data"
                + " FROM customer WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?",
            cw, cd, cid);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw Jdbc.missing("customer " + cw + "/" + cd + "/" + cid);
      }
      credit = rs.getString("c_credit");
      data = rs.getString("c_data");
    }
    String set = "c_balance = c_balance - ?, c_ytd_payment = c_ytd_payment + ?,"
        + " c_payment_cnt = c_payment_cnt + 1";
    String where = " WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?";
    if ("BC".equals(credit)) {
      // Clause 2.5.2.2: the payment's keys and amount go at the left of C_DATA, kept to 500.
      String entry = cid + " " + cd + " " + cw + " " + district + " " + warehouse + " "
          + amount + " | ";
      String newData = entry + data;
      if (newData.length() > 500) {
        newData = newData.substring(0, 500);
      }
      Jdbc.update(conn, "UPDATE customer SET " + set + ", c_data = ?" + where,
          amount, amount, newData, cw, cd, cid);
    } else {
      Jdbc.update(conn, "UPDATE customer SET " + set + where, amount, amount, cw, cd, cid);
    }
    Jdbc.update(conn, "INSERT INTO history (h_c_id, h_c_d_id, h_c_w_id, h_d_id, h_w_id, h_date,"
        + " h_amount, h_data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        cid, cd, cw, district, warehouse, LocalDateTime.now(), amount,
        wName + "    " + dName);
    conn.commit();
    return Result.COMMITTED;
  }

  /** Runs a one-row SELECT whose first column is a name, and returns that name. */
  private static String name(Connection conn, String sql, String what, Object... params)
      throws SQLException {
    try (PreparedStatement ps = Jdbc.prepare(conn, sql, params);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw Jdbc.missing(what);
      }
      return rs.getString(1);
    }
  }
}
