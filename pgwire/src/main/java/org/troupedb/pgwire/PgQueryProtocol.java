package org.troupedb.pgwire;

import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.pgwire.PgFrontendMessages.Bind;
import org.troupedb.pgwire.PgFrontendMessages.Close;
import org.troupedb.pgwire.PgFrontendMessages.CopyData;
import org.troupedb.pgwire.PgFrontendMessages.CopyDone;
import org.troupedb.pgwire.PgFrontendMessages.CopyFail;
import org.troupedb.pgwire.PgFrontendMessages.Describe;
import org.troupedb.pgwire.PgFrontendMessages.Execute;
import org.troupedb.pgwire.PgFrontendMessages.Flush;
import org.troupedb.pgwire.PgFrontendMessages.FrontendMessage;
import org.troupedb.pgwire.PgFrontendMessages.FunctionCall;
import org.troupedb.pgwire.PgFrontendMessages.MalformedBody;
import org.troupedb.pgwire.PgFrontendMessages.Parse;
import org.troupedb.pgwire.PgFrontendMessages.Query;
import org.troupedb.pgwire.PgFrontendMessages.Sync;
import org.troupedb.pgwire.PgFrontendMessages.Terminate;
import org.troupedb.sql.CopyIn;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.Statement;

/**
 * A logged-in connection's messages: routes them to the simple protocol ({@link PgSimpleQuery}),
 * the extended one ({@link PgExtendedQuery}) or a COPY FROM STDIN in progress ({@link PgCopyIn}),
 * and owns what sits between them — ReadyForQuery, Sync, skipping until Sync after an error, and
 * copy-in mode.
 *
 * <pre>
 *   READY ──Query──▶ statements ({@link PgSimpleQuery}); an error ▶ ErrorResponse; ReadyForQuery
 *      │ ──Parse/Bind/Describe/Execute/Close──▶ their replies; an error ▶ ErrorResponse, the
 *      │            implicit transaction fails and every message up to the next Sync is skipped
 *      │ ──Sync──▶ session.sync(), ReadyForQuery          ──Flush──▶ send what is buffered
 *      │ ──a COPY FROM STDIN──▶ CopyInResponse, copy-in mode until CopyDone/CopyFail ({@link PgCopyIn});
 *      │            after it: the rest of the query string (simple) or the next message (extended)
 *      │ ──FunctionCall──▶ ErrorResponse 0A000, ReadyForQuery
 *      ▼ ──Terminate──▶ the end ({@link PgReplies#end()})
 * </pre>
 *
 * <p>NB: confined to the connection's serial executor, like every field here.
 */
final class PgQueryProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(PgQueryProtocol.class);

  private final SqlSession session;
  private final PgReplies replies;
  private final IdleTimeouts idleTimeouts;
  private final PgSimpleQuery simple;
  private final PgExtendedQuery extended;
  /** After an error in the extended protocol: messages are dropped until Sync. */
  private boolean skipUntilSync;
  /** The COPY FROM STDIN in progress (copy-in mode), or null. */
  private PgCopyIn copyIn;

  PgQueryProtocol(SqlSession session, PgReplies replies, IdleTimeouts idleTimeouts) {
    this.session = session;
    this.replies = replies;
    this.idleTimeouts = idleTimeouts;
    this.simple = new PgSimpleQuery(session, replies);
    this.extended = new PgExtendedQuery(session, replies);
  }

  /** Handles one message of a logged-in connection. */
  void handle(FrontendMessage message) {
    if (copyIn != null && inCopy(message)) {
      return;
    }
    if (message instanceof Terminate) {
      replies.end();
      return;
    }
    if (message instanceof MalformedBody m) {
      malformed(m);
      return;
    }
    if (message instanceof Sync) {
      sync();
      return;
    }
    if (message instanceof Flush) {
      replies.flush();
      return;
    }
    if (skipUntilSync || message instanceof CopyData || message instanceof CopyDone || message instanceof CopyFail) {
      return; // copy messages outside copy-in mode (after a failed COPY) are dropped, as PostgreSQL does
    }
    try {
      if (message instanceof Query q) {
        simpleQuery(q.sql());
      } else if (message instanceof Parse p) {
        extended.parse(p);
      } else if (message instanceof Bind b) {
        extended.bind(b);
      } else if (message instanceof Describe d) {
        extended.describe(d);
      } else if (message instanceof Execute e) {
        CopyIn in = extended.execute(e);
        if (in != null) {
          startCopyIn(new PgCopyIn(in, null));
        }
      } else if (message instanceof Close c) {
        extended.close(c);
      } else if (message instanceof FunctionCall) {
        replies.error(SqlException.unsupported("fast-path function call"));
        if (replies.isOpen()) {
          readyForQuery();
        }
      } else {
        replies.fatal(SqlState.PROTOCOL_VIOLATION, "unexpected message " + message.getClass().getSimpleName());
      }
    } catch (SqlException e) {
      session.batchFailed(); // as PostgreSQL, an error rolls back the implicit transaction up to Sync
      replies.error(e);
      skipUntilSync = true;
    }
  }

  /**
   * A message whose body does not parse, as PostgreSQL 15 answers it: ERROR, then ReadyForQuery
   * after a simple Query or a Sync (which also ends skipping), or skipping to Sync after an
   * extended-protocol message; dropped while skipping, and copy messages outside copy-in mode are
   * dropped unread, as PostgreSQL does.
   */
  private void malformed(MalformedBody m) {
    boolean sync = m.type() == 'S';
    if (!sync && (skipUntilSync || "dcf".indexOf(m.type()) >= 0)) {
      return;
    }
    session.batchFailed();
    replies.error(new SqlException(m.sqlState(), m.message()));
    if (sync) {
      sync();
    } else if ("PBDECH".indexOf(m.type()) >= 0) {
      skipUntilSync = true;
    } else {
      trySync();
      endQuery();
    }
  }

  /** ReadyForQuery with the transaction status; the idle timeouts start. */
  void readyForQuery() {
    PgBackendMessages.readyForQuery(replies.out(), session.transactionStatus().code());
    replies.flush();
    idleTimeouts.idle(session);
  }

  /** The connection ended: undoes a COPY in progress, forgets statements and portals. */
  void release() {
    if (copyIn != null) {
      copyIn.abort();
      copyIn = null;
    }
    extended.clear();
  }

  private void simpleQuery(String sql) {
    extended.dropUnnamed();
    Iterator<Statement> statements;
    try {
      statements = simple.parse(sql);
    } catch (SqlException e) {
      replies.error(e);
      trySync();
      endQuery();
      return;
    }
    runSimple(statements);
  }

  /** Runs the statements of a simple query, then ReadyForQuery; a COPY FROM STDIN suspends the run. */
  private void runSimple(Iterator<Statement> it) {
    try {
      CopyIn in = simple.run(it);
      if (in != null) {
        startCopyIn(new PgCopyIn(in, it));
        return;
      }
    } catch (SqlException e) {
      replies.error(e);
      trySync();
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
      replies.error(PgErrors.unwrap(e));
      trySync();
    }
    endQuery();
  }

  /** Enters copy-in mode. */
  private void startCopyIn(PgCopyIn copy) {
    copyIn = copy;
    PgBackendMessages.copyInResponse(replies.out(), copy.columnCount());
    replies.flush();
  }

  /**
   * A message in copy-in mode. Returns false if the message is to be handled as usual after
   * leaving copy-in mode (Terminate).
   */
  private boolean inCopy(FrontendMessage message) {
    PgCopyIn copy = copyIn;
    try {
      switch (copy.handle(message)) {
        case MORE -> { }
        case DONE -> {
          copyIn = null;
          PgBackendMessages.commandComplete(replies.out(), copy.commandTag());
          if (!copy.extended()) {
            runSimple(copy.rest());
          }
        }
        case LEFT -> {
          copyIn = null;
          return false;
        }
      }
    } catch (SqlException e) {
      copyIn = null;
      replies.error(e);
      if (copy.extended()) {
        skipUntilSync = true;
      } else {
        trySync();
        endQuery();
      }
    }
    return true;
  }

  private void sync() {
    skipUntilSync = false;
    try {
      PgErrors.guardRun(session::sync);
    } catch (SqlException e) {
      replies.error(e);
    }
    endQuery();
  }

  /** The end of a query or of a batch up to Sync: ReadyForQuery, unless the connection ended. */
  private void endQuery() {
    if (replies.isOpen()) {
      extended.closePortalsIfIdle();
      readyForQuery();
    }
  }

  private void trySync() {
    if (!replies.isOpen()) {
      return; // the session is gone with the connection
    }
    try {
      session.sync();
    } catch (SqlException | RuntimeException e) {
      LOG.debug("sync after failed query", e);
    }
  }
}
