package org.troupedb.sql.internal.kv;

import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.txn.Txn;

/**
 * What one execution of a plan sees: the transaction, parameter values ({@code ?0}, {@code ?1}…
 * in Calcite's internal representation), the statement time, the cancel flag and the memory budget.
 */
public final class ExecContext implements DataContext {
  static final String TXN = "troupe.txn";

  private final SchemaPlus root;
  private final JavaTypeFactory typeFactory;
  private final Txn txn;
  private final Object[] params;
  private final AtomicBoolean cancel;
  private final long nowMillis;
  private final java.util.Map<String, Object> internals;
  private final TimeZone timeZone;
  private final String user;
  private final MemoryBudget memory;
  /** The session's advisory locks (the lock functions' state), or null. */
  private Object advisoryLocks;
  /** The session's parameters for set_config ({@code SetConfigFunction.SessionConfig}), or null. */
  private Object sessionConfig;

  /**
   * {@code timeZone}: the session's TimeZone, for conversions to and from timestamptz; {@code
   * user}: the session's role (current_user).
   */
  public ExecContext(SchemaPlus root, JavaTypeFactory typeFactory, Txn txn, Object[] params,
      AtomicBoolean cancel, long nowMillis, java.util.Map<String, Object> internals, TimeZone timeZone,
      String user) {
    this(root, typeFactory, txn, params, cancel, nowMillis, internals, timeZone, user, MemoryBudget.unlimited());
  }

  /** {@code memory}: the budget the execution's row-holding operators charge (see MemoryBudget). */
  public ExecContext(SchemaPlus root, JavaTypeFactory typeFactory, Txn txn, Object[] params,
      AtomicBoolean cancel, long nowMillis, java.util.Map<String, Object> internals, TimeZone timeZone,
      String user, MemoryBudget memory) {
    this.memory = memory;
    this.root = root;
    this.typeFactory = typeFactory;
    this.txn = txn;
    this.params = params;
    this.cancel = cancel;
    this.nowMillis = nowMillis;
    this.internals = internals;
    this.timeZone = timeZone;
    this.user = user;
  }

  /** Gives the execution its session's advisory locks ({@code SessionAdvisoryLocks}); returns this. */
  public ExecContext withAdvisoryLocks(Object locks) {
    this.advisoryLocks = locks;
    return this;
  }

  /** Gives the execution its session's parameters (for set_config); returns this. */
  public ExecContext withSessionConfig(Object config) {
    this.sessionConfig = config;
    return this;
  }

  Txn txn() {
    return txn;
  }

  MemoryBudget memory() {
    return memory;
  }

  AtomicBoolean cancelFlag() {
    return cancel;
  }

  Object param(int i) {
    return params[i];
  }

  @Override
  public SchemaPlus getRootSchema() {
    return root;
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return typeFactory;
  }

  @Override
  public QueryProvider getQueryProvider() {
    return null;
  }

  @Override
  public Object get(String name) {
    if (name.startsWith("?")) {
      return params[Integer.parseInt(name.substring(1))];
    }
    return switch (name) {
      case TXN -> txn;
      case "currentTimestamp", "localTimestamp", "utcTimestamp", "sysTimestamp" -> nowMillis;
      case "timeZone" -> timeZone;
      case "cancelFlag" -> cancel;
      case MemoryBudget.CONTEXT_VARIABLE -> memory;
      case "user", "systemUser" -> user;
      case org.troupedb.sql.internal.functions.AdvisoryLockFunctions.SESSION_LOCKS -> advisoryLocks;
      case org.troupedb.sql.internal.functions.SetConfigFunction.SESSION_CONFIG -> sessionConfig;
      default -> internals.get(name);
    };
  }
}
