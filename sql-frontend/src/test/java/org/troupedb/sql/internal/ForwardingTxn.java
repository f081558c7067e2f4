package org.troupedb.sql.internal;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.troupedb.hlc.Timestamp;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnState;

/**
 * A {@link Txn} that passes every call to another one; a test overrides the calls it counts,
 * delays or fails. NB: {@link #restart()} is not forwarded (the restarted transaction would
 * escape the wrapper): it keeps the interface's default, as an unwrapped test store does.
 */
public class ForwardingTxn implements Txn {
  protected final Txn delegate;

  public ForwardingTxn(Txn delegate) {
    this.delegate = delegate;
  }

  @Override
  public UUID id() {
    return delegate.id();
  }

  @Override
  public Timestamp readTimestamp() {
    return delegate.readTimestamp();
  }

  @Override
  public TxnState state() {
    return delegate.state();
  }

  @Override
  public CompletionStage<byte[]> get(byte[] key) {
    return delegate.get(key);
  }

  @Override
  public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
    return delegate.scan(start, end, limit);
  }

  @Override
  public CompletionStage<Void> write(List<Mutation> mutations) {
    return delegate.write(mutations);
  }

  @Override
  public void setReadLock(ReadLock mode) {
    delegate.setReadLock(mode);
  }

  @Override
  public Savepoint savepoint() {
    return delegate.savepoint();
  }

  @Override
  public CompletionStage<Void> rollbackTo(Savepoint sp) {
    return delegate.rollbackTo(sp);
  }

  @Override
  public void release(Savepoint sp) {
    delegate.release(sp);
  }

  @Override
  public CompletionStage<Void> commit() {
    return delegate.commit();
  }

  @Override
  public CompletionStage<Void> rollback() {
    return delegate.rollback();
  }
}
