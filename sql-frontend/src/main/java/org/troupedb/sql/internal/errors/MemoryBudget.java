package org.troupedb.sql.internal.errors;

import java.util.HashMap;
import java.util.Map;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * One statement execution's memory budget, in estimated bytes, for the operators that hold rows
 * (sorts, hash-join build sides, hash aggregates and DISTINCT, scans and the result being
 * materialised). Each such operator charges an {@link Account}; the statement fails with 53200
 * {@code out of memory}, naming the operator, when the sum passes {@link #limitBytes()} or the
 * node's pool ({@link NodeMemory}) has no room left. Reserved from the node pool in chunks of
 * {@link #CHUNK} bytes, the first {@link #CHUNK} free: a small statement (a point query, a short
 * scan) never fails because big ones filled the pool. Everything goes back at {@link #close()}.
 * NB: so the heap the budgets cover is the pool plus a chunk per running statement, which
 * {@code max_connections} bounds.
 *
 * <p>NB: not thread-safe; a statement runs on its session's thread.
 */
public final class MemoryBudget implements AutoCloseable {
  /** The session setting of the limit ({@code SET troupedb.statement_memory = '32MB'}). */
  public static final String SETTING = "troupedb.statement_memory";
  /** The node's default for {@link #SETTING} (a JVM system property, e.g. {@code -Dtroupedb.sql.statement-memory=128MB}). */
  public static final String NODE_DEFAULT_SETTING = "troupedb.sql.statement-memory";
  /**
   * The limit when the session set none: {@link #NODE_DEFAULT_SETTING}, or 1 GiB. NB: far above
   * PostgreSQL's 4MB work_mem because table scans still hold their rows (streaming scans are issue
   * 15's): at 64 MiB, TPC-C's consistency check over order_line (two warehouses) was refused. The
   * node pool ({@link NodeMemory}, a quarter of the heap) is what keeps the heap safe.
   */
  public static final long DEFAULT_BYTES = MemorySetting.bytesOr(System.getProperty(NODE_DEFAULT_SETTING), 1L << 30);
  static final long CHUNK = 1L << 20;
  /** The name under which an execution's DataContext answers its budget. */
  public static final String CONTEXT_VARIABLE = "troupe.memory";

  /** A budget that never fails (for executions outside a session's statements). */
  public static MemoryBudget unlimited() {
    return new MemoryBudget(Long.MAX_VALUE / 4, null);
  }

  private final long limitBytes;
  private final NodeMemory node;
  private long used;
  private long reserved;
  private final Map<Integer, Account> accounts = new HashMap<>();

  public MemoryBudget(long limitBytes, NodeMemory node) {
    this.limitBytes = limitBytes;
    this.node = node;
  }

  public long limitBytes() {
    return limitBytes;
  }

  /** Estimated bytes held now by this statement's operators. */
  public long usedBytes() {
    return used;
  }

  /**
   * The account of plan operator {@code id}, emptied: an operator that runs again (inside a
   * correlated join, once per outer row) no longer holds what its previous run held.
   */
  public Account account(int id, String operator) {
    Account a = accounts.get(id);
    if (a == null) {
      a = new Account(operator);
      accounts.put(id, a);
    } else {
      a.releaseAll();
    }
    return a;
  }

  /** A new account that is not reused (a scan's rows, the result); release it when done. */
  public Account transientAccount(String operator) {
    return new Account(operator);
  }

  /** What one operator holds. */
  public final class Account {
    private final String operator;
    private long bytes;

    private Account(String operator) {
      this.operator = operator;
    }

    /** Adds {@code n} bytes; 53200 (as a {@link SqlRuntimeException}) when the budget is spent. */
    public void charge(long n) {
      bytes += n;
      used += n;
      if (used > limitBytes) {
        throw new SqlRuntimeException(exceeded(operator, "the statement's memory limit " + SETTING + " = "
            + MemorySetting.print(limitBytes)));
      }
      if (node != null && used > reserved + CHUNK) {
        long want = Math.max(CHUNK, used - CHUNK - reserved);
        if (!node.tryReserve(want)) {
          throw new SqlRuntimeException(exceeded(operator, "the node's memory for queries " + NodeMemory.SETTING
              + " = " + MemorySetting.print(node.capBytes()) + ", which running statements share"));
        }
        reserved += want;
      }
    }

    /** Gives back everything this account holds. */
    public void releaseAll() {
      used -= bytes;
      bytes = 0;
    }

    public long bytes() {
      return bytes;
    }
  }

  /** PostgreSQL's {@code out of memory}, the detail naming the operator and the limit it hit. */
  static SqlException exceeded(String operator, String limit) {
    return new SqlException(SqlState.OUT_OF_MEMORY, "out of memory",
        operator + " needs more memory than " + limit + " allows.",
        "Make the query hold fewer rows at once (a narrower filter, fewer columns), or raise " + SETTING + ".",
        null);
  }

  /** Gives the node pool back everything reserved. */
  @Override
  public void close() {
    if (node != null && reserved > 0) {
      node.release(reserved);
    }
    reserved = 0;
    used = 0;
    accounts.clear();
  }
}
