package org.troupedb.sql.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

/**
 * The in-memory service with the real coordinator's write buffering: an implicit transaction
 * keeps its writes until its next read or its commit, so a {@code KeyExistsException} surfaces
 * from {@code commit()} (or a later read) instead of {@code write()}.
 */
public final class BufferingTxnService extends WrappingTxnService {

  @Override
  protected Txn wrap(Txn t, TxnOptions options) {
    return options.implicit() ? new BufferingTxn(t) : t;
  }

  private static final class BufferingTxn extends ForwardingTxn {
    private final List<Mutation> buffer = new ArrayList<>();

    BufferingTxn(Txn t) {
      super(t);
    }

    private CompletionStage<Void> flush() {
      if (buffer.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      List<Mutation> ms = new ArrayList<>(buffer);
      buffer.clear();
      return delegate.write(ms);
    }

    @Override
    public CompletionStage<byte[]> get(byte[] key) {
      return flush().thenCompose(v -> delegate.get(key));
    }

    @Override
    public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
      return flush().thenCompose(v -> delegate.scan(start, end, limit));
    }

    @Override
    public CompletionStage<Void> write(List<Mutation> mutations) {
      buffer.addAll(mutations);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> commit() {
      return flush().thenCompose(v -> delegate.commit());
    }

    @Override
    public CompletionStage<Void> rollback() {
      buffer.clear();
      return delegate.rollback();
    }
  }
}
