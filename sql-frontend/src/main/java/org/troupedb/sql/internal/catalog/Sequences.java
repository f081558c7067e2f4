package org.troupedb.sql.internal.catalog;

import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnService;

/**
 * Sequence values. The key of a sequence holds the last value reserved by any node. A node
 * reserves a block of {@link #BLOCK} values at a time with its own small KV transaction (read,
 * advance by {@code BLOCK * increment}, write, commit; retried on conflict) and hands them out
 * from memory, like PostgreSQL's {@code CACHE}: a value is never handed out twice and a rollback
 * does not return it, but values from different nodes interleave and a node restart skips the
 * rest of its block. {@code setval} writes the key and drops this node's block.
 */
public final class Sequences {
  static final int BLOCK = 32;

  private final TxnService kv;
  private final java.util.Map<Long, long[]> blocks = new java.util.HashMap<>();

  public Sequences(TxnService kv) {
    this.kv = kv;
  }

  public long nextval(Catalog.SequenceDesc s) throws SqlException {
    synchronized (blocks) {
      long[] b = blocks.get(s.id()); // {next value, last value of the block}
      if (b != null && (s.increment() > 0 ? b[0] <= b[1] : b[0] >= b[1])) {
        long v = b[0];
        b[0] += s.increment();
        return v;
      }
      long[] r = reserve(s, BLOCK);
      blocks.put(s.id(), new long[] {r[0] + s.increment(), r[1]});
      return r[0];
    }
  }

  /** Reserves up to {@code n} values: {first, last}; fails if even the first is out of bounds. */
  private long[] reserve(Catalog.SequenceDesc s, int n) throws SqlException {
    SqlException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      Txn txn = kv.begin(TxnOptions.implicitStatement());
      try {
        byte[] key = Catalog.sequenceKey(s.id());
        byte[] cur = Kv.await(txn.get(key), null);
        long next = cur == null ? s.start() : Math.addExact(Kv.bytesLong(cur), s.increment());
        long lastReserved = next;
        for (int i = 1; i < n; i++) {
          long v = lastReserved + s.increment();
          if (v > s.max() || v < s.min() || (s.increment() > 0 ? v < lastReserved : v > lastReserved)) {
            break;
          }
          lastReserved = v;
        }
        if (next > s.max() || next < s.min()) {
          txn.rollback();
          throw new SqlException(SqlState.DATA_EXCEPTION,
              "nextval: reached " + (next > s.max() ? "maximum" : "minimum") + " value of sequence \""
                  + s.name() + "\" (" + (next > s.max() ? s.max() : s.min()) + ")");
        }
        Kv.await(txn.write(List.of(new Mutation.Put(key, Kv.longBytes(lastReserved)))), null);
        Kv.await(txn.commit(), null);
        return new long[] {next, lastReserved};
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

  public void setval(Catalog.SequenceDesc s, long value) throws SqlException {
    synchronized (blocks) {
      blocks.remove(s.id());
    }
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
