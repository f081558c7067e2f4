package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.exec.MaterializedResult;
import org.troupedb.sql.parser.ast.SqlFetch;

/**
 * A session's open cursors by name: DECLARE adds one, FETCH / MOVE move it, CLOSE and the end of
 * the transaction remove it.
 *
 * <pre>
 *   DECLARE c CURSOR FOR q   (in a block) ──▶ open until COMMIT / ROLLBACK / CLOSE
 *   DECLARE c CURSOR WITH HOLD FOR q       ──▶ open until CLOSE or the session's end;
 *                                              dropped if its transaction rolls back
 * </pre>
 *
 * NB: a cursor holds its query's rows, materialized when it is declared (the statement memory
 * budget bounds them); PostgreSQL's cursors also see the data as of their DECLARE, so FETCH
 * returns what PostgreSQL's would.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class Cursors {
  private final Map<String, Cursor> open = new LinkedHashMap<>();
  /** Cursors declared in the current transaction block (a rollback drops them, held or not). */
  private final List<String> declaredInBlock = new ArrayList<>();
  /** A counter of DECLAREs and SAVEPOINTs, to tell which cursors a ROLLBACK TO undoes. */
  private long tick;
  /** When each cursor was declared and each savepoint of the block taken (the latest of a name). */
  private final Map<String, Long> declaredAt = new java.util.HashMap<>();
  private final Map<String, Long> savepointAt = new java.util.HashMap<>();

  /** 42P03 if a cursor of that name is open. */
  void checkNew(String name) throws SqlException {
    if (open.containsKey(name)) {
      throw new SqlException(SqlState.DUPLICATE_CURSOR, "cursor \"" + name + "\" already exists");
    }
  }

  /** Opens {@code c}; {@code inBlock}: declared inside a transaction block. */
  void add(Cursor c, boolean inBlock) throws SqlException {
    checkNew(c.name);
    open.put(c.name, c);
    declaredAt.put(c.name, ++tick);
    if (inBlock) {
      declaredInBlock.add(c.name);
    }
  }

  Cursor get(String name) throws SqlException {
    Cursor c = open.get(name);
    if (c == null) {
      throw new SqlException(SqlState.INVALID_CURSOR_NAME, "cursor \"" + name + "\" does not exist");
    }
    return c;
  }

  /** FETCH or MOVE: its rows and tag ({@code FETCH n}, {@code MOVE n}). */
  StatementResult fetch(SqlFetch f) throws SqlException {
    Cursor c = get(f.cursor());
    if (f.move()) {
      long n = c.fetch(f.direction(), f.count(), null);
      return MaterializedResult.of("MOVE " + n);
    }
    List<Object[]> rows = Cursor.rowList();
    long n = c.fetch(f.direction(), f.count(), rows);
    return new MaterializedResult(c.columns, rows, "FETCH " + n, false);
  }

  /** The columns a FETCH from an open cursor returns, for Describe (none for MOVE or an unknown cursor). */
  List<org.troupedb.sql.ColumnInfo> columns(SqlFetch f) {
    Cursor c = open.get(f.cursor());
    return c == null || f.move() ? List.of() : c.columns;
  }

  /** CLOSE name ({@code null}: CLOSE ALL). */
  void close(String name) throws SqlException {
    if (name == null) {
      open.clear();
      declaredInBlock.clear();
      return;
    }
    get(name);
    open.remove(name);
    declaredInBlock.remove(name);
  }

  /** SAVEPOINT name was taken. */
  void savepoint(String name) {
    savepointAt.put(name, ++tick);
  }

  /** ROLLBACK TO name: the cursors declared since that savepoint are gone, as in PostgreSQL. */
  void rolledBackTo(String name) {
    Long at = savepointAt.get(name);
    if (at != null) {
      open.keySet().removeIf(c -> declaredAt.getOrDefault(c, 0L) > at);
      declaredInBlock.removeIf(c -> !open.containsKey(c));
    }
  }

  /**
   * The transaction block ended: a commit keeps the WITH HOLD cursors, a rollback drops those it
   * declared too; cursors without HOLD go either way.
   */
  void transactionEnded(boolean committed) {
    if (!committed) {
      declaredInBlock.forEach(open::remove);
    }
    open.values().removeIf(c -> !c.hold);
    declaredInBlock.clear();
    savepointAt.clear();
  }
}
