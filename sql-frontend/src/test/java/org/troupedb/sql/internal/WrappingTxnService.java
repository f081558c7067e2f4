package org.troupedb.sql.internal;

import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.HybridClock;
import org.troupedb.testkit.InMemoryTxnService;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnService;

/**
 * The in-memory store with every transaction it begins passed through {@link #wrap} (usually a
 * {@link ForwardingTxn}), for tests that count, delay or fail KV calls under a real SQL session.
 */
public abstract class WrappingTxnService implements TxnService {
  private final InMemoryTxnService inner = new InMemoryTxnService();

  /** The transaction the session gets in place of {@code t}, begun with {@code options}. */
  protected abstract Txn wrap(Txn t, TxnOptions options);

  @Override
  public final Txn begin(TxnOptions options) {
    return wrap(inner.begin(options), options);
  }

  @Override
  public HybridClock clock() {
    return inner.clock();
  }

  @Override
  public CompletionStage<Void> ensureSplitAt(byte[] key) {
    return inner.ensureSplitAt(key);
  }
}
