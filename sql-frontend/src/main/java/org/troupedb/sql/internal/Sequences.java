package org.troupedb.sql.internal;

import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnService;

/**
 * Sequence values. The last value handed out lives at the sequence's key; {@code nextval} runs
 * its own small KV transaction (read, add the increment, write, commit), retried on conflict, so
 * like PostgreSQL a value is never handed out twice and is not returned by a rollback.
 */
final class Sequences {
  private final TxnService kv;

  Sequences(TxnService kv) {
    this.kv = kv;
  }

  long nextval(Catalog.SequenceDesc s) throws SqlException {
    SqlException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      Txn txn = kv.begin(TxnOptions.implicitStatement());
      try {
        byte[] key = Catalog.sequenceKey(s.id());
        byte[] cur = Kv.await(txn.get(key), null);
        long next = cur == null ? s.start() : Math.addExact(Kv.bytesLong(cur), s.increment());
        if (next > s.max() || next < s.min()) {
          txn.rollback();
          throw new SqlException(SqlState.DATA_EXCEPTION,
              "nextval: reached " + (next > s.max() ? "maximum" : "minimum") + " value of sequence \""
                  + s.name() + "\" (" + (next > s.max() ? s.max() : s.min()) + ")");
        }
        Kv.await(txn.write(List.of(new Mutation.Put(key, Kv.longBytes(next)))), null);
        Kv.await(txn.commit(), null);
        return next;
      } catch (SqlException e) {
        txn.rollback();
        if (!SqlState.SERIALIZATION_FAILURE.equals(e.sqlState())) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  void setval(Catalog.SequenceDesc s, long value) throws SqlException {
    Txn txn = kv.begin(TxnOptions.implicitStatement());
    try {
      Kv.await(txn.write(List.of(new Mutation.Put(Catalog.sequenceKey(s.id()), Kv.longBytes(value)))), null);
      Kv.await(txn.commit(), null);
    } catch (SqlException e) {
      txn.rollback();
      throw e;
    }
  }
}
