package org.troupedb.sql.internal.plan;

import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.functions.SetConfigFunction;
import org.troupedb.sql.internal.locks.SessionAdvisoryLocks;
import org.troupedb.txn.KeyExistsException;

/**
 * What a statement reads from, or changes in, the session that runs it: its variables as the
 * executor uses them, its advisory locks, currval's memory and duplicate-key reporting. The
 * session implements it; the stages below the session see only this, never the session itself.
 */
public interface SessionState {
  /** The session's TimeZone, as conversions to and from timestamptz use it. */
  TimeZone timeZone();

  /** A new memory budget for one execution of a plan (the session's limit, the node's pool). */
  MemoryBudget statementMemory();

  /** set_config's view of the session's variables. */
  SetConfigFunction.SessionConfig sessionConfig();

  /** The advisory locks the session holds. */
  SessionAdvisoryLocks advisoryLocks();

  /** currval's memory: the last value nextval or setval gave each sequence in this session. */
  Map<String, Long> currvals();

  /**
   * Registers how a duplicate {@code key} of table {@code tableId} written by the current
   * transaction is reported (the last registration for a table wins). Call before writing.
   */
  void onDuplicate(long tableId, Function<byte[], SqlException> reporter);

  /** The 23505 error for a duplicate key the KV layer reported, whichever operation surfaced it. */
  SqlException duplicate(KeyExistsException e);
}
