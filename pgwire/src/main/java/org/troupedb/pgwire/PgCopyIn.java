package org.troupedb.pgwire;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.troupedb.sql.CopyIn;
import org.troupedb.sql.SqlException;
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
 * statement is a COPY).
 */
final class PgCopyIn {
  /** Rows per call into the engine (the engine batches its KV writes on its own). */
  static final int BATCH_ROWS = 1000;

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

  CopyIn target() {
    return target;
  }

  /** The statements after the COPY in a simple query, or null for the extended protocol. */
  Iterator<Statement> rest() {
    return rest;
  }

  boolean extended() {
    return rest == null;
  }

  /** A CopyData payload. On error the COPY is already undone. */
  void data(byte[] chunk) throws SqlException {
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
  String done() throws SqlException {
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
