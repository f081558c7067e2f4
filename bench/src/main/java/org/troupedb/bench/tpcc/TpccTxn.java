package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One TPC-C transaction with its input data already generated (clause 2.x.1), so a retry after a
 * serialization failure repeats exactly the same business transaction.
 *
 * <p>{@link #execute} runs the profile (clause 2.x.2) on a connection with autocommit off and
 * ends it with commit or rollback; on an {@link SQLException} the caller rolls back.
 */
public sealed interface TpccTxn
    permits NewOrderTxn, PaymentTxn, OrderStatusTxn, DeliveryTxn, StockLevelTxn {

  TxnType type();

  Result execute(Connection conn) throws SQLException;

  /**
   * How a transaction ended without an error.
   *
   * @param rolledBack the New-Order "unused item" rollback of clause 2.4.2.3
   * @param skippedDeliveries districts a Delivery found without an undelivered order
   */
  record Result(boolean rolledBack, int skippedDeliveries) {
    static final Result COMMITTED = new Result(false, 0);
    static final Result ROLLED_BACK = new Result(true, 0);
  }

  /** The home of a terminal (clause 5.2.5.3: fixed W_ID; Stock-Level also keeps its D_ID). */
  record Home(int warehouse, int district) {}

  /** Draws the input of a transaction of {@code type} for a terminal at {@code home}. */
  static TpccTxn generate(TxnType type, TpccRandom r, Home home, Scale scale) {
    return switch (type) {
      case NEW_ORDER -> NewOrderTxn.generate(r, home, scale);
      case PAYMENT -> PaymentTxn.generate(r, home, scale);
      case ORDER_STATUS -> OrderStatusTxn.generate(r, home, scale);
      case DELIVERY -> DeliveryTxn.generate(r, home);
      case STOCK_LEVEL -> StockLevelTxn.generate(r, home);
    };
  }
}
