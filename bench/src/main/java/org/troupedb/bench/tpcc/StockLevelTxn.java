package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Stock-Level (clause 2.8), read-only. Input: the terminal's own warehouse and district and a
 * threshold in [10..20]. Counts the distinct items of the district's last 20 orders whose stock
 * is below the threshold.
 */
record StockLevelTxn(int warehouse, int district, int threshold) implements TpccTxn {

  static StockLevelTxn generate(TpccRandom r, Home home) {
    return new StockLevelTxn(home.warehouse(), home.district(), r.uniform(10, 20));
  }

  @Override
  public TxnType type() {
    return TxnType.STOCK_LEVEL;
  }

  @Override
  public Result execute(Connection conn) throws SQLException {
    int next;
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT d_next_o_id FROM district WHERE d_w_id = ? AND d_id = ?", warehouse, district);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw Jdbc.missing("district " + warehouse + "/" + district);
      }
      next = rs.getInt(1);
    }
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT count(DISTINCT s_i_id) FROM order_line, stock"
                + " WHERE ol_w_id = ? AND ol_d_id = ? AND ol_o_id < ? AND ol_o_id >= ?"
                + " AND s_w_id = ? AND s_i_id = ol_i_id AND s_quantity < ?",
            warehouse, district, next, next - 20, warehouse, threshold);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
    }
    conn.commit();
    return Result.COMMITTED;
  }
}
