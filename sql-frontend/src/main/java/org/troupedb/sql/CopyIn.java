package org.troupedb.sql;

import java.util.List;

/**
 * The result of {@code COPY table [(columns)] FROM STDIN}: the statement has started (its
 * transaction is open) and now takes the client's rows, already split into fields by the wire
 * layer.
 *
 * <pre>
 *   execute ──▶ CopyIn ──write(rows, line)*──▶ finish() ──▶ commandTag() "COPY n"
 *                  └──────── any error, CopyFail ──▶ abort()   (no row stays)
 * </pre>
 *
 * {@link #columns()} are the target columns, in the order the fields come. A {@code write} or
 * {@code finish} that throws has already undone the whole COPY (as {@link #abort()} does): an
 * implicit transaction rolls back, an explicit block becomes failed (25P02 until ROLLBACK).
 *
 * <p>NB: like the session it belongs to, not thread-safe; rows are written to the ranges in large
 * batches, so an error may surface a few rows after the line that caused it (its CONTEXT still
 * names that line).
 */
public interface CopyIn extends StatementResult {

  /** How the data is formatted (text or CSV, delimiter, NULL string, ...). */
  CopyOptions options();

  /** The table's name, for error context ({@code COPY t, line 3}). */
  String relation();

  /**
   * Adds rows. Each element holds one field per target column as text (null for NULL);
   * {@code firstLine} is the 1-based input line of the first row, for error context.
   *
   * @throws SqlException 22P02 etc. with a context naming the line and column; the COPY is undone
   */
  void write(List<String[]> rows, long firstLine) throws SqlException;

  /** The client sent CopyDone: writes what is left and commits an implicit transaction. */
  void finish() throws SqlException;

  /** Undoes the COPY (client sent CopyFail, or the wire layer found an error). Idempotent. */
  void abort();

  /** No result rows: the rows go the other way. */
  @Override
  default java.util.Iterator<Object[]> rows() {
    return java.util.Collections.emptyIterator();
  }
}
