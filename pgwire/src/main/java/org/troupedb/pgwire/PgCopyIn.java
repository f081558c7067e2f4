package org.troupedb.pgwire;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
import org.troupedb.sql.SqlState;
import org.troupedb.sql.Statement;

/**
 * One COPY FROM STDIN in progress on a connection (copy-in mode): decodes the CopyData chunks and
 * hands the rows to the engine in batches.
 *
 * <pre>
 *   CopyInResponse ──▶ CopyData* ──CopyDone──▶ CommandComplete "COPY n" (simple: run the rest
 *        │                                       of the query string, then ReadyForQuery)
 *        └── CopyFail (57014) / bad data / other message ──▶ ErrorResponse, COPY undone;
 *            simple: ReadyForQuery; extended: skip until Sync. Later copy messages are dropped.
 * </pre>
 *
 * Flush and Sync are ignored in copy-in mode (clients send them after Execute without knowing the
 * statement is a COPY). What follows the COPY (the rest of the query string, ReadyForQuery, or
 * skipping until Sync) is {@link PgQueryProtocol}'s.
 *
 * <p>NB: confined to the connection's serial executor.
 */
final class PgCopyIn {
  /** Rows per call into the engine (the engine batches its KV writes on its own). */
  static final int BATCH_ROWS = 1000;

  /** What a message in copy-in mode leads to. */
  enum Step {
    /** Still in copy-in mode. */
    MORE,
    /** CopyDone: the COPY is committed; its {@link #commandTag()} goes to the client. */
    DONE,
    /** Terminate: the COPY is undone and the message is to be handled as usual. */
    LEFT
  }

  private final CopyIn target;
  private final CopyFormat.Decoder decoder;
  private final Iterator<Statement> rest;
  private final List<String[]> pending = new ArrayList<>();
  private long pendingFirstLine;

  /**
   * @param rest the statements after the COPY in a simple query string; null when the COPY came
   *     through the extended protocol
   */
  PgCopyIn(CopyIn target, Iterator<Statement> rest) {
    this.target = target;
    this.decoder = new CopyFormat.Decoder(target.options(), target.relation(), target.columns());
    this.rest = rest;
  }

  /** The statements after the COPY in a simple query, or null for the extended protocol. */
  Iterator<Statement> rest() {
    return rest;
  }

  boolean extended() {
    return rest == null;
  }

  /**
   * One message in copy-in mode. Throws (the COPY undone, except where the engine failed on a
   * write) on bad data, CopyFail (57014) or a message that has no place in copy-in mode (08P01).
   */
  Step handle(FrontendMessage message) throws SqlException {
    if (message instanceof CopyData d) {
      PgErrors.guardRun(() -> data(d.data()));
    } else if (message instanceof CopyDone) {
      PgErrors.guard(this::done);
      return Step.DONE;
    } else if (message instanceof CopyFail f) {
      target.abort();
      throw new SqlException(SqlState.QUERY_CANCELED, "COPY from stdin failed: " + f.message());
    } else if (message instanceof MalformedBody m && m.type() == 'f') {
      target.abort(); // as PostgreSQL: reading the CopyFail's reason fails first
      throw new SqlException(m.sqlState(), m.message());
    } else if (message instanceof MalformedBody m && (m.type() == 'S' || m.type() == 'H')) {
      return Step.MORE; // ignored in copy-in mode, as PostgreSQL ignores them unread
    } else if (message instanceof Terminate) {
      target.abort();
      return Step.LEFT;
    } else if (!(message instanceof Sync) && !(message instanceof Flush)) {
      target.abort();
      throw new SqlException(SqlState.PROTOCOL_VIOLATION, "unexpected message type 0x"
          + Integer.toHexString(typeOf(message)) + " during COPY from stdin");
    }
    return Step.MORE;
  }

  /** The number of columns copied (for CopyInResponse). */
  int columnCount() {
    return target.columns().size();
  }

  /** The command tag of a finished COPY ("COPY n"). */
  String commandTag() {
    return target.commandTag();
  }

  /** Undoes the COPY (the connection ended in copy-in mode). */
  void abort() {
    target.abort();
  }

  private static int typeOf(FrontendMessage m) {
    return m instanceof Query ? 'Q' : m instanceof Parse ? 'P' : m instanceof Bind ? 'B' : m instanceof Describe ? 'D'
        : m instanceof Execute ? 'E' : m instanceof Close ? 'C' : m instanceof FunctionCall ? 'F'
        : m instanceof MalformedBody b ? b.type() : 0;
  }

  /** A CopyData payload. On error the COPY is already undone. */
  private void data(byte[] chunk) throws SqlException {
    try {
      add(decoder.feed(chunk));
    } catch (SqlException | RuntimeException e) {
      target.abort();
      throw e;
    }
    if (pending.size() >= BATCH_ROWS) {
      flush();
    }
  }

  /** CopyDone: writes the rest and commits. Returns the command tag. */
  private String done() throws SqlException {
    try {
      add(decoder.finish());
    } catch (SqlException | RuntimeException e) {
      target.abort();
      throw e;
    }
    flush();
    target.finish();
    return target.commandTag();
  }

  private void add(List<String[]> rows) {
    if (!rows.isEmpty() && pending.isEmpty()) {
      pendingFirstLine = decoder.firstLine();
    }
    pending.addAll(rows);
  }

  private void flush() throws SqlException {
    if (!pending.isEmpty()) {
      List<String[]> rows = new ArrayList<>(pending);
      pending.clear();
      target.write(rows, pendingFirstLine);
    }
  }
}
