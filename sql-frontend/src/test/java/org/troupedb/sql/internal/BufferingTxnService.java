package org.troupedb.sql.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;
import org.troupedb.testkit.InMemoryTxnService;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnService;
import org.troupedb.txn.TxnState;

/**
 * The in-memory service with the real coordinator's write buffering: an implicit transaction
 * keeps its writes until its next read or its commit, so a {@code KeyExistsException} surfaces
 * from {@code commit()} (or a later read) instead of {@code write()}.
 */
final class BufferingTxnService implements TxnService {
  final InMemoryTxnService inner = new InMemoryTxnService();

  @Override
  public Txn begin(TxnOptions options) {
    Txn t = inner.begin(options);
    return options.implicit() ? new BufferingTxn(t) : t;
  }

  @Override
  public HybridClock clock() {
    return inner.clock();
  }

  @Override
  public CompletionStage<Void> ensureSplitAt(byte[] key) {
    return inner.ensureSplitAt(key);
  }

  private static final class BufferingTxn implements Txn {
    private final Txn t;
    private final List<Mutation> buffer = new ArrayList<>();

    BufferingTxn(Txn t) {
      this.t = t;
    }

    private CompletionStage<Void> flush() {
      if (buffer.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      List<Mutation> ms = new ArrayList<>(buffer);
      buffer.clear();
      return t.write(ms);
    }

    @Override
    public UUID id() {
      return t.id();
    }

    @Override
    public Timestamp readTimestamp() {
      return t.readTimestamp();
    }

    @Override
    public TxnState state() {
      return t.state();
    }

    @Override
    public CompletionStage<byte[]> get(byte[] key) {
      return flush().thenCompose(v -> t.get(key));
    }

    @Override
    public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
      return flush().thenCompose(v -> t.scan(start, end, limit));
    }

    @Override
    public CompletionStage<Void> write(List<Mutation> mutations) {
      buffer.addAll(mutations);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> commit() {
      return flush().thenCompose(v -> t.commit());
    }

    @Override
    public CompletionStage<Void> rollback() {
      buffer.clear();
      return t.rollback();
    }
  }
}
