package org.troupedb.bench.tpcc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;

/**
 * New-Order (clause 2.4). Input: a random district of the home warehouse, a NURand customer, 5..15
 * items by NURand(8191), each supplied by the home warehouse except 1% from another one (when
 * there is more than one), quantities 1..10; in 1% of transactions the last item is an unused
 * I_ID, which makes the transaction roll back after all its other work (clause 2.4.2.3).
 */
record NewOrderTxn(int warehouse, int district, int customer, List<Line> lines)
    implements TpccTxn {

  /** One order line's input. */
  record Line(int itemId, int supplyWarehouse, int quantity) {}

  static NewOrderTxn generate(TpccRandom r, Home home, Scale scale) {
    int district = r.uniform(1, Scale.DISTRICTS);
    int customer = r.customerId(scale.customersPerDistrict());
    int olCnt = r.uniform(5, 15);
    boolean rollback = r.percent() == 1;
    Line[] lines = new Line[olCnt];
    for (int i = 0; i < olCnt; i++) {
      int item = rollback && i == olCnt - 1 ? scale.items() + 1 : r.itemId(scale.items());
      int supply = home.warehouse();
      if (scale.warehouses() > 1 && r.percent() == 1) {
        supply = otherWarehouse(r, home.warehouse(), scale.warehouses());
      }
      lines[i] = new Line(item, supply, r.uniform(1, 10));
    }
    return new NewOrderTxn(home.warehouse(), district, customer, List.of(lines));
  }

  /** A uniformly chosen warehouse other than {@code home} (needs at least two). */
  static int otherWarehouse(TpccRandom r, int home, int warehouses) {
    int w = r.uniform(1, warehouses - 1);
    return w >= home ? w + 1 : w;
  }

  @Override
  public TxnType type() {
    return TxnType.NEW_ORDER;
  }

  @Override
  public Result execute(Connection conn) throws SQLException {
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT w_tax FROM warehouse WHERE w_id = ?", warehouse);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw Jdbc.missing("warehouse " + warehouse);
      }
    }
    // Increment first, then read: the same effect as select-then-update, and it holds the row
    // from the start under weaker isolation levels too.
    if (Jdbc.update(conn, "UPDATE district SET d_next_o_id = d_next_o_id + 1"
        + " WHERE d_w_id = ? AND d_id = ?", warehouse, district) != 1) {
      throw Jdbc.missing("district " + warehouse + "/" + district);
    }
    int orderId;
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT d_tax, d_next_o_id FROM district WHERE d_w_id = ? AND d_id = ?",
            warehouse, district);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw Jdbc.missing("district " + warehouse + "/" + district);
      }
      orderId = rs.getInt(2) - 1;
    }
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT c_discount, c_last, c_credit FROM customer"
                + " WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?",
            warehouse, district, customer);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw Jdbc.missing("customer " + warehouse + "/" + district + "/" + customer);
      }
    }
    boolean allLocal = lines.stream().allMatch(l -> l.supplyWarehouse() == warehouse);
    LocalDateTime now = LocalDateTime.now();
    Jdbc.update(conn, "INSERT INTO orders (o_id, o_d_id, o_w_id, o_c_id, o_entry_d, o_carrier_id,"
        + " o_ol_cnt, o_all_local) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)",
        orderId, district, warehouse, customer, now, lines.size(), allLocal ? 1 : 0);
    Jdbc.update(conn, "INSERT INTO new_order (no_o_id, no_d_id, no_w_id) VALUES (?, ?, ?)",
        orderId, district, warehouse);
    // NB: the terminal output (W_TAX, D_TAX, C_DISCOUNT, brand-generic from I_DATA/S_DATA and
    // the total) is read as the profile says but not rendered: there is no terminal screen.
    String distColumn = String.format("s_dist_%02d", district);
    for (int n = 1; n <= lines.size(); n++) {
      Line line = lines.get(n - 1);
      BigDecimal price;
      try (PreparedStatement ps = Jdbc.prepare(conn,
              "SELECT i_price, i_name, i_data FROM item WHERE i_id = ?", line.itemId());
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) { // the 1% "unused item": not an error, a business rollback
          conn.rollback();
          return Result.ROLLED_BACK;
        }
        price = rs.getBigDecimal(1);
      }
      int quantity;
      String distInfo;
      try (PreparedStatement ps = Jdbc.prepare(conn,
              "SELECT s_quantity, " + distColumn + ", s_data FROM stock"
                  + " WHERE s_w_id = ? AND s_i_id = ?",
              line.supplyWarehouse(), line.itemId());
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw Jdbc.missing("stock " + line.supplyWarehouse() + "/" + line.itemId());
        }
        quantity = rs.getInt(1);
        distInfo = rs.getString(2);
      }
      int newQuantity = quantity >= line.quantity() + 10
          ? quantity - line.quantity() : quantity - line.quantity() + 91;
      Jdbc.update(conn, "UPDATE stock SET s_quantity = ?, s_ytd = s_ytd + ?,"
          + " s_order_cnt = s_order_cnt + 1, s_remote_cnt = s_remote_cnt + ?"
          + " WHERE s_w_id = ? AND s_i_id = ?",
          newQuantity, line.quantity(), line.supplyWarehouse() == warehouse ? 0 : 1,
          line.supplyWarehouse(), line.itemId());
      BigDecimal amount = price.multiply(BigDecimal.valueOf(line.quantity()))
          .setScale(2, RoundingMode.HALF_UP);
      Jdbc.update(conn, "INSERT INTO order_line (ol_o_id, ol_d_id, ol_w_id, ol_number, ol_i_id,"
          + " ol_supply_w_id, ol_delivery_d, ol_quantity, ol_amount, ol_dist_info)"
          + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
          orderId, district, warehouse, n, line.itemId(), line.supplyWarehouse(),
          line.quantity(), amount, distInfo);
    }
    conn.commit();
    return Result.COMMITTED;
  }
}
