package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.CopyOptions;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.exec.Copy;
import org.troupedb.sql.internal.exec.MaterializedResult;
import org.troupedb.sql.parser.StatementParser;
import org.troupedb.sql.parser.Stmt;
import org.troupedb.sql.parser.ast.SqlCloseCursor;
import org.troupedb.sql.parser.ast.SqlCopy;
import org.troupedb.sql.parser.ast.SqlDeallocate;
import org.troupedb.sql.parser.ast.SqlDeclareCursor;
import org.troupedb.sql.parser.ast.SqlExecute;
import org.troupedb.sql.parser.ast.SqlFetch;
import org.troupedb.sql.parser.ast.SqlPrepare;
import org.troupedb.sql.parser.ast.SqlSelectLocking;

/**
 * The session statements that carry or name another statement (issue 14): PREPARE, EXECUTE,
 * DEALLOCATE; DECLARE, FETCH, MOVE, CLOSE; COPY (query) TO STDOUT. EXECUTE, DECLARE and COPY
 * (query) run their statement through the {@link StatementRouter} as if the client had sent it
 * (the block's transaction, or an implicit one); the others need no transaction.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class SessionStatements {
  private final Session session;
  private final SessionTxn block;
  private final StatementRouter router;

  SessionStatements(Session session, SessionTxn block, StatementRouter router) {
    this.session = session;
    this.block = block;
    this.router = router;
  }

  /** EXECUTE (the prepared statement with the arguments' values) or DECLARE (the cursor's query). */
  StatementResult execute(Session.PreparedImpl p, List<Object> params) throws SqlException {
    if (p.statement().node() instanceof SqlDeclareCursor d) {
      return declare(d, p.statement());
    }
    SqlExecute x = (SqlExecute) p.statement().node();
    SqlPrepared.Entry e;
    List<Object> args;
    try {
      e = session.sqlPrepared.get(x.name());
      args = ExecuteArguments.values(x, e.parameterTypes(), p.statement().sql());
    } catch (SqlException ex) {
      failBlock();
      throw ex;
    }
    try {
      return router.executeStatement(e.prepared(), args);
    } catch (SqlException ex) {
      // A position would point into the PREPARE's text, not this statement's.
      throw ex.position() > 0 ? ex.withPosition(0) : ex;
    }
  }

  /** PREPARE, DEALLOCATE, FETCH, MOVE and CLOSE; null for any other statement. */
  StatementResult withoutTransaction(Session.PreparedImpl p) throws SqlException {
    SqlNode node = p.statement().node();
    if (node instanceof SqlPrepare pr) {
      session.sqlPrepared.prepare(session, pr, p.statement());
      return MaterializedResult.of("PREPARE");
    }
    if (node instanceof SqlDeallocate d) {
      session.sqlPrepared.deallocate(d.name());
      return MaterializedResult.of(d.name() == null ? "DEALLOCATE ALL" : "DEALLOCATE");
    }
    if (node instanceof SqlFetch f) {
      return session.cursors.fetch(f);
    }
    if (node instanceof SqlCloseCursor c) {
      session.cursors.close(c.name());
      return MaterializedResult.of(c.name() == null ? "CLOSE CURSOR ALL" : "CLOSE CURSOR");
    }
    return null;
  }

  /**
   * DECLARE: runs the query now (in the block's transaction; WITH HOLD outside a block, in one
   * of its own) and keeps its rows as the cursor's.
   */
  private StatementResult declare(SqlDeclareCursor d, Stmt outer) throws SqlException {
    boolean inBlock = block.txn() != null;
    try {
      Stmt inner = StatementParser.carried(outer.sql(), d.body());
      Session.PreparedImpl q = (Session.PreparedImpl) session.prepare(inner, List.of());
      if (!inBlock && !d.hold()) {
        throw new SqlException(SqlState.NO_ACTIVE_SQL_TRANSACTION, "DECLARE CURSOR can only be used in transaction blocks");
      }
      boolean locking = inner.node() instanceof SqlSelectLocking;
      if (locking && (d.hold() || d.scroll() == SqlDeclareCursor.Scroll.SCROLL)) {
        boolean hold = d.hold();
        throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
            "DECLARE " + (hold ? "CURSOR WITH HOLD" : "SCROLL CURSOR") + " ... FOR UPDATE is not supported", // as PG
            (hold ? "Holdable" : "Scrollable") + " cursors must be READ ONLY.", null, null);
      }
      if (d.binary()) {
        throw SqlException.unsupported("DECLARE BINARY CURSOR");
      }
      session.cursors.checkNew(d.name());
      StatementResult r = router.executeStatement(q, List.of());
      // PostgreSQL lets a cursor scroll back unless it says NO SCROLL or locks rows.
      boolean scroll = d.scroll() != SqlDeclareCursor.Scroll.NO_SCROLL && !locking;
      session.cursors.add(new Cursor(d.name(), r.columns(), rows(r), scroll, d.hold()), inBlock);
      return MaterializedResult.of("DECLARE CURSOR");
    } catch (SqlException e) {
      failBlock();
      throw e;
    }
  }

  /** COPY (query) TO STDOUT: the query's rows as COPY data. */
  StatementResult copyQuery(SqlCopy copy, Session.PreparedImpl p) throws SqlException {
    try {
      CopyOptions options = Copy.checkedOptions(copy.options());
      Stmt inner = StatementParser.carried(p.statement().sql(), copy.query());
      Session.PreparedImpl q = (Session.PreparedImpl) session.prepare(inner, List.of());
      return Copy.out(router.executeStatement(q, List.of()), options);
    } catch (SqlException e) {
      failBlock();
      throw e;
    }
  }

  /** All of {@code r}'s rows (a cursor's, read at DECLARE); a failure while they are read is thrown. */
  private List<Object[]> rows(StatementResult r) throws SqlException {
    if (r instanceof MaterializedResult m) {
      return m.rowList();
    }
    List<Object[]> out = new ArrayList<>();
    // NB: counted while they are read (53200 past the budget), not while the cursor holds them
    try (org.troupedb.sql.internal.errors.MemoryBudget memory = session.statementMemory()) {
      org.troupedb.sql.internal.errors.MemoryBudget.Account held = memory.transientAccount("the query result");
      for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
        Object[] row = it.next();
        held.charge(org.troupedb.sql.internal.errors.RowSizes.of(row) + 8);
        out.add(row);
      }
    } catch (RuntimeException e) {
      throw org.troupedb.sql.internal.errors.Errors.fromRuntime(e);
    } finally {
      r.close();
    }
    return out;
  }

  /** An error fails the open block, as any statement's does. */
  private void failBlock() {
    if (block.txn() != null) {
      block.fail();
    }
  }
}
