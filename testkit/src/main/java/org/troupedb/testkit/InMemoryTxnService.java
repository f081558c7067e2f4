package org.troupedb.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnAbortedException;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnService;
import org.troupedb.txn.TxnState;

/**
 * A single-process {@link TxnService} test double: one committed sorted map; each transaction
 * buffers its writes (reads see them) and applies them at commit under a lock. Reads of committed
 * data see the latest committed state (read committed, not serializable); good enough for SQL
 * tests, not for isolation tests.
 */
public final class InMemoryTxnService implements TxnService {
  private static final byte[] TOMBSTONE = new byte[0];

  private final NavigableMap<byte[], byte[]> committed = new TreeMap<>(Arrays::compareUnsigned);
  private final HybridClock clock = HybridClock.system(Duration.ofMillis(500));
  private final Object lock = new Object();

  @Override
  public Txn begin(TxnOptions options) {
    return new MemTxn(options, clock.now());
  }

  @Override
  public HybridClock clock() {
    return clock;
  }

  @Override
  public CompletionStage<Void> ensureSplitAt(byte[] key) {
    return CompletableFuture.completedFuture(null);
  }

  /** Number of committed live keys (for tests). */
  public int size() {
    synchronized (lock) {
      return committed.size();
    }
  }

  private final class MemTxn implements Txn {
    private final UUID id = UUID.randomUUID();
    private final TxnOptions options;
    private final Timestamp readTs;
    /** Buffered writes; {@link #TOMBSTONE} marks a delete. */
    private final NavigableMap<byte[], byte[]> buffer = new TreeMap<>(Arrays::compareUnsigned);
    private volatile TxnState state = TxnState.PENDING;

    MemTxn(TxnOptions options, Timestamp readTs) {
      this.options = options;
      this.readTs = readTs;
    }

    @Override
    public UUID id() {
      return id;
    }

    @Override
    public Timestamp readTimestamp() {
      return readTs;
    }

    @Override
    public TxnState state() {
      return state;
    }

    private <T> CompletionStage<T> failIfDone() {
      if (state != TxnState.PENDING) {
        return CompletableFuture.failedFuture(new TxnAbortedException("transaction is " + state));
      }
      return null;
    }

    @Override
    public CompletionStage<byte[]> get(byte[] key) {
      CompletionStage<byte[]> f = failIfDone();
      if (f != null) {
        return f;
      }
      byte[] v = buffer.get(key);
      if (v == null) {
        synchronized (lock) {
          v = committed.get(key);
        }
      } else if (v == TOMBSTONE) {
        v = null;
      }
      return CompletableFuture.completedFuture(v);
    }

    @Override
    public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
      CompletionStage<List<KeyValue>> f = failIfDone();
      if (f != null) {
        return f;
      }
      if (Arrays.compareUnsigned(start, end) >= 0) {
        return CompletableFuture.completedFuture(List.of());
      }
      NavigableMap<byte[], byte[]> merged = new TreeMap<>(Arrays::compareUnsigned);
      synchronized (lock) {
        merged.putAll(committed.subMap(start, true, end, false));
      }
      merged.putAll(buffer.subMap(start, true, end, false));
      List<KeyValue> out = new ArrayList<>();
      for (Map.Entry<byte[], byte[]> e : merged.entrySet()) {
        if (e.getValue() == TOMBSTONE) {
          continue;
        }
        out.add(new KeyValue(e.getKey(), e.getValue()));
        if (limit > 0 && out.size() >= limit) {
          break;
        }
      }
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Void> write(List<Mutation> mutations) {
      CompletionStage<Void> f = failIfDone();
      if (f != null) {
        return f;
      }
      if (options.readOnly()) {
        state = TxnState.ABORTED;
        return CompletableFuture.failedFuture(new TxnAbortedException("read-only transaction"));
      }
      for (Mutation m : mutations) {
        byte[] key = m.key().clone();
        if (m instanceof Mutation.Put p) {
          buffer.put(key, p.value().clone());
        } else if (m instanceof Mutation.Delete) {
          buffer.put(key, TOMBSTONE);
        } else if (m instanceof Mutation.Insert ins) {
          byte[] existing = buffer.get(key);
          if (existing == null) {
            synchronized (lock) {
              existing = committed.get(key);
            }
          } else if (existing == TOMBSTONE) {
            existing = null;
          }
          if (existing != null) {
            state = TxnState.ABORTED;
            buffer.clear();
            return CompletableFuture.failedFuture(new KeyExistsException(key));
          }
          buffer.put(key, ins.value().clone());
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> commit() {
      CompletionStage<Void> f = failIfDone();
      if (f != null) {
        return f;
      }
      synchronized (lock) {
        for (Map.Entry<byte[], byte[]> e : buffer.entrySet()) {
          if (e.getValue() == TOMBSTONE) {
            committed.remove(e.getKey());
          } else {
            committed.put(e.getKey(), e.getValue());
          }
        }
      }
      buffer.clear();
      state = TxnState.COMMITTED;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> rollback() {
      if (state == TxnState.PENDING) {
        state = TxnState.ABORTED;
        buffer.clear();
      }
      return CompletableFuture.completedFuture(null);
    }
  }
}
