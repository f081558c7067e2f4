package org.troupedb.txn;

/**
 * The request carrying a transaction's commit point (its EndTxn, or the write of a one-phase
 * commit) was sent but no answer came back in time: the transaction may have committed or not,
 * and this gateway cannot tell (SQLSTATE 40003, statement_completion_unknown). It is never
 * retried internally, and never reported as a plain success or failure.
 */
public final class CommitOutcomeUnknownException extends TxnException {
  public CommitOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
