package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.txn.Txn;

/**
 * The savepoints of one session's open transaction block, as PostgreSQL keeps them: a stack in
 * which a name may repeat (the newest one wins), ROLLBACK TO keeps the savepoint and drops the
 * later ones, RELEASE drops it and the later ones. Also tracks what CockroachDB's retry protocol
 * needs: whether a savepoint was taken before the block's first statement (it can restart the
 * transaction after a retry error). Whether RELEASE SAVEPOINT cockroach_restart committed the
 * transaction is the block's state ({@link TxnBlock}).
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class Savepoints {
  /** The savepoint name of CockroachDB's client-side retry protocol: releasing it commits. */
  static final String RESTART = "cockroach_restart";

  /**
   * One savepoint: its name, the transaction layer's mark and whether it was taken before the
   * block ran any statement.
   */
  record Named(String name, Txn.Savepoint kv, boolean atStart) {}

  private final List<Named> stack = new ArrayList<>();
  private boolean started;

  boolean isEmpty() {
    return stack.isEmpty();
  }

  /** A statement other than transaction control ran in the block: later savepoints are not at its start. */
  void started() {
    started = true;
  }

  void push(String name, Txn.Savepoint kv) {
    stack.add(new Named(name, kv, !started));
  }

  /** The newest savepoint called {@code name}, or null. */
  Named find(String name) {
    for (int i = stack.size() - 1; i >= 0; i--) {
      if (stack.get(i).name().equals(name)) {
        return stack.get(i);
      }
    }
    return null;
  }

  /** ROLLBACK TO {@code sp}: the later savepoints are gone, {@code sp} stays. */
  void rolledBackTo(Named sp) {
    stack.subList(stack.indexOf(sp) + 1, stack.size()).clear();
  }

  /** RELEASE {@code sp}: it and the later savepoints are gone. */
  void release(Named sp) {
    stack.subList(stack.indexOf(sp), stack.size()).clear();
  }

  /**
   * The transaction restarted from {@code sp} (taken at its start): the later savepoints are
   * gone; {@code sp} and the savepoints before it (all taken at the start too) now mark the new
   * transaction's start, {@code kv}.
   */
  void restarted(Named sp, Txn.Savepoint kv) {
    int i = stack.indexOf(sp);
    stack.subList(i + 1, stack.size()).clear();
    stack.replaceAll(s -> new Named(s.name(), kv, true));
    started = false;
  }

  void clear() {
    stack.clear();
    started = false;
  }
}
