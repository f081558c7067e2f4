package org.troupedb.txn;

import org.troupedb.hlc.Timestamp;

/**
 * How a transaction starts.
 *
 * @param readOnly refuse writes (the SQL layer maps a write attempt to 25006)
 * @param asOf a fixed historical read timestamp (AS OF SYSTEM TIME), or null to read at "now"
 * @param implicit true for a single statement's implicit transaction (the SQL layer may retry it)
 */
public record TxnOptions(boolean readOnly, Timestamp asOf, boolean implicit) {

  public static TxnOptions readWrite() {
    return new TxnOptions(false, null, false);
  }

  public static TxnOptions implicitStatement() {
    return new TxnOptions(false, null, true);
  }
}
