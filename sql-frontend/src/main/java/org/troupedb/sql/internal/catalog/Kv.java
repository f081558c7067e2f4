package org.troupedb.sql.internal.catalog;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.CancelFlag;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.txn.CommitOutcomeUnknownException;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.LockNotAvailableException;
import org.troupedb.txn.TxnAbortedException;
import org.troupedb.txn.TxnRetryException;

/**
 * Waits for KV stages on the session's worker thread and maps transaction errors to SQLSTATEs.
 * A {@link KeyExistsException} is rethrown as is so the caller can name the violated constraint.
 */
public final class Kv {
  private Kv() {}

  public static <T> T await(CompletionStage<T> stage, AtomicBoolean cancel) throws SqlException {
    var f = stage.toCompletableFuture();
    try {
      while (true) {
        if (cancel != null && cancel.get()) {
          throw CancelFlag.error(cancel);
        }
        try {
          return f.get(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // loop: re-check cancellation
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SqlException(SqlState.QUERY_CANCELED, "canceling statement due to interrupt");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
        c = c.getCause();
      }
      if (c instanceof KeyExistsException k) {
        throw k;
      }
      if (c instanceof TxnRetryException r) {
        throw new SqlException(SqlState.SERIALIZATION_FAILURE, r.getMessage(), null,
            "See: retry the transaction", r);
      }
      if (c instanceof CommitOutcomeUnknownException u) {
        throw new SqlException(SqlState.STATEMENT_COMPLETION_UNKNOWN, u.getMessage(), null,
            "The transaction may have committed; check before running it again", u);
      }
      if (c instanceof org.troupedb.txn.LockTimeoutException l) {
        throw new SqlException(SqlState.LOCK_NOT_AVAILABLE, l.getMessage(), l);
      }
      if (c instanceof LockNotAvailableException l) {
        throw new SqlException(SqlState.LOCK_NOT_AVAILABLE, "could not obtain lock on row", l);
      }
      if (c instanceof TxnAbortedException a) {
        throw new SqlException(SqlState.SERIALIZATION_FAILURE,
            "restart transaction: " + a.getMessage(), null, null, a);
      }
      if (c instanceof IllegalArgumentException bad) {
        // A request the transaction layer refuses as given, e.g. an AS OF SYSTEM TIME older
        // than the MVCC GC window.
        throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, bad.getMessage(), bad);
      }
      if (c instanceof TimeoutException) {
        // Before the commit point (a timed-out commit is CommitOutcomeUnknownException): nothing
        // of this transaction committed, and the range may be moving to another node.
        throw new SqlException(SqlState.SYSTEM_ERROR, "a range did not answer in time (its node may be down"
            + " or restarting); the transaction did not commit", null, "Retry the transaction.", c);
      }
      throw Errors.internal(c);
    }
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  static long bytesLong(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }
}
