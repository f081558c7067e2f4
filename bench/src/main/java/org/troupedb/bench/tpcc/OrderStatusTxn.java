package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Order-Status (clause 2.6), read-only. Input: a random district of the home warehouse and a
 * customer there, 60% by last name. Reads the customer, their newest order and its lines.
 */
record OrderStatusTxn(CustomerRef customer) implements TpccTxn {

  static OrderStatusTxn generate(TpccRandom r, Home home, Scale scale) {
    return new OrderStatusTxn(CustomerRef.generate(r, home.warehouse(),
        r.uniform(1, Scale.DISTRICTS), scale));
  }

  @Override
  public TxnType type() {
    return TxnType.ORDER_STATUS;
  }

  @Override
  public Result execute(Connection conn) throws SQLException {
    int w = customer.warehouse();
    int d = customer.district();
    int cid = customer.resolve(conn);
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT c_balance, c_first, c_middle, c_last FROM customer"
                + " WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?", w, d, cid);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw Jdbc.missing("customer " + w + "/" + d + "/" + cid);
      }
    }
    int orderId;
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT o_id, o_entry_d, o_carrier_id FROM orders"
                + " WHERE o_w_id = ? AND o_d_id = ? AND o_c_id = ? ORDER BY o_id DESC LIMIT 1",
            w, d, cid);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw Jdbc.missing("an order of customer " + w + "/" + d + "/" + cid);
      }
      orderId = rs.getInt(1);
    }
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT ol_i_id, ol_supply_w_id, ol_quantity, ol_amount, ol_delivery_d"
                + " FROM order_line WHERE ol_w_id = ? AND ol_d_id = ? AND ol_o_id = ?",
            w, d, orderId);
        ResultSet rs = ps.executeQuery()) {
      int lines = 0;
      while (rs.next()) {
        lines++;
      }
      if (lines == 0) {
        throw Jdbc.missing("order lines of order " + w + "/" + d + "/" + orderId);
      }
    }
    conn.commit();
    return Result.COMMITTED;
  }
}
