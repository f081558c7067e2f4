package org.troupedb.txn;

import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.HybridClock;

/**
 * The entry point of the transaction layer: starts transactions over the key space held by the
 * range actors. One instance per node; thread-safe.
 */
public interface TxnService {

  /** Starts a transaction whose provisional timestamp is taken from the node's clock now. */
  Txn begin(TxnOptions options);

  /** The node's hybrid logical clock (updated from every range reply). */
  HybridClock clock();

  /**
   * Makes sure a range boundary exists at {@code key} (splitting the range that contains it if
   * needed). The SQL layer calls it so that each table lives in range(s) of its own. Idempotent.
   */
  CompletionStage<Void> ensureSplitAt(byte[] key);
}
