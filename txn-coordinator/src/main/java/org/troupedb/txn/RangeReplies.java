package org.troupedb.txn;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.troupedb.range.RangeActor;

/** How the parts of a {@link CoordinatedTxn} turn range replies into the transaction's errors. */
final class RangeReplies {
  private RangeReplies() {
  }

  /**
   * An INSERT met a live key: a duplicate if the key was live in this transaction's snapshot;
   * if it was written after the snapshot, a serialization conflict (the statement would not have
   * failed at the snapshot: 40001 lets the client retry where it now sees the row).
   */
  static RuntimeException keyExists(RangeActor.KeyExistsReply k) {
    return k.sinceRead()
        ? new TxnRetryException(TxnRetryException.Reason.WRITE_TOO_OLD, "key written after this transaction's snapshot")
        : new KeyExistsException(k.key());
  }

  /** A reply the request cannot have; a GC-threshold refusal is the caller's error (22023 in SQL). */
  static RuntimeException unexpected(RangeActor.Reply reply) {
    if (reply instanceof RangeActor.BelowGcThresholdReply b) {
      // A request refused as given (22023 in SQL), like an AS OF SYSTEM TIME older than the window.
      return new IllegalArgumentException("read timestamp " + b.readTs() + " must be after the MVCC GC threshold "
          + b.threshold() + ": older versions may have been collected (the GC window, troupedb.kv.gc-ttl)");
    }
    return new IllegalStateException("unexpected reply from range: " + reply);
  }

  /**
   * The answer to the request that carries the commit point: a timeout there means the commit
   * may or may not have happened ({@link CommitOutcomeUnknownException}, 40003), unlike a timeout
   * of any request before it, after which the transaction has certainly not committed.
   */
  static <T> CompletionStage<T> commitPoint(CompletionStage<T> sent) {
    return sent.exceptionally(e -> {
      Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (c instanceof TimeoutException) {
        throw new CommitOutcomeUnknownException(
            "result is ambiguous: no answer from the range holding the commit (" + c.getMessage() + ")", c);
      }
      throw e instanceof CompletionException ce ? ce : new CompletionException(e);
    });
  }
}
