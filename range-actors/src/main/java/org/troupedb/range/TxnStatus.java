package org.troupedb.range;

/** The state of a transaction record. PENDING → COMMITTED | ABORTED; final states never change. */
public enum TxnStatus {
  PENDING,
  COMMITTED,
  ABORTED;

  public boolean isFinal() {
    return this != PENDING;
  }
}
