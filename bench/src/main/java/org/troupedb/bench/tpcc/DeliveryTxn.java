package org.troupedb.bench.tpcc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;

/**
 * Delivery (clause 2.7): the business transaction of a deferred request, run by a
 * {@link DeferredDelivery} worker after the terminal queued it (clause 2.7.2), as one database
 * transaction over the ten districts of the home warehouse (clause 2.7.4.2 allows one). Input: a
 * carrier in [1..10]. For each district the oldest undelivered order is delivered; a district
 * without one is skipped and counted.
 */
record DeliveryTxn(int warehouse, int carrier) implements TpccTxn {

  static DeliveryTxn generate(TpccRandom r, Home home) {
    return new DeliveryTxn(home.warehouse(), r.uniform(1, 10));
  }

  @Override
  public TxnType type() {
    return TxnType.DELIVERY;
  }

  @Override
  public Result execute(Connection conn) throws SQLException {
    LocalDateTime now = LocalDateTime.now();
    int skipped = 0;
    for (int d = 1; d <= Scale.DISTRICTS; d++) {
      Integer orderId = null;
      try (PreparedStatement ps = Jdbc.prepare(conn,
              "SELECT no_o_id FROM new_order WHERE no_w_id = ? AND no_d_id = ?"
                  + " ORDER BY no_o_id LIMIT 1", warehouse, d);
          ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          orderId = rs.getInt(1);
        }
      }
      if (orderId == null || Jdbc.update(conn, "DELETE FROM new_order"
          + " WHERE no_w_id = ? AND no_d_id = ? AND no_o_id = ?", warehouse, d, orderId) != 1) {
        skipped++;
        continue;
      }
      int customer;
      try (PreparedStatement ps = Jdbc.prepare(conn,
              "SELECT o_c_id FROM orders WHERE o_w_id = ? AND o_d_id = ? AND o_id = ?",
              warehouse, d, orderId);
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw Jdbc.missing("order " + warehouse + "/" + d + "/" + orderId);
        }
        customer = rs.getInt(1);
      }
      Jdbc.update(conn, "UPDATE orders SET o_carrier_id = ?"
          + " WHERE o_w_id = ? AND o_d_id = ? AND o_id = ?", carrier, warehouse, d, orderId);
      Jdbc.update(conn, "UPDATE order_line SET ol_delivery_d = ?"
          + " WHERE ol_w_id = ? AND ol_d_id = ? AND ol_o_id = ?", now, warehouse, d, orderId);
      BigDecimal sum;
      try (PreparedStatement ps = Jdbc.prepare(conn,
              "SELECT sum(ol_amount) FROM order_line"
                  + " WHERE ol_w_id = ? AND ol_d_id = ? AND ol_o_id = ?", warehouse, d, orderId);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        sum = rs.getBigDecimal(1);
      }
      if (sum == null) {
        throw Jdbc.missing("order lines of order " + warehouse + "/" + d + "/" + orderId);
      }
      Jdbc.update(conn, "UPDATE customer SET c_balance = c_balance + ?,"
          + " c_delivery_cnt = c_delivery_cnt + 1 WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?",
          sum, warehouse, d, customer);
    }
    conn.commit();
    return new Result(false, skipped);
  }
}
