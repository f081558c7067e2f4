package org.troupedb.pgwire;

import java.util.Iterator;
import java.util.List;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.CopyOut;

/**
 * COPY TO STDOUT on a connection, in the simple and the extended protocol alike.
 *
 * <pre>
 *   CopyOutResponse, [CopyData header,] CopyData per row, CopyDone, CommandComplete "COPY n"
 * </pre>
 *
 * <p>NB: confined to the connection's serial executor; waits while the client does not read.
 */
final class PgCopyOut {
  private PgCopyOut() {}

  /** Streams {@code result} to the client. */
  static void send(CopyOut result, PgReplies replies) {
    List<ColumnInfo> columns = result.columns();
    PgBackendMessages.copyOutResponse(replies.out(), columns.size());
    if (result.options().header()) {
      PgBackendMessages.copyData(replies.out(), CopyFormat.encodeHeader(columns, result.options()));
    }
    Iterator<Object[]> rows = result.rows();
    while (rows.hasNext()) {
      PgBackendMessages.copyData(replies.out(), CopyFormat.encodeRow(rows.next(), columns, result.options(),
          replies.zone()));
      replies.flushIfFull();
    }
    PgBackendMessages.copyDone(replies.out());
    PgBackendMessages.commandComplete(replies.out(), result.commandTag());
  }
}
