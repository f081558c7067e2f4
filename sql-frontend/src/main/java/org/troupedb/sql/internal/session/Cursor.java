package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.parser.ast.SqlFetch;

/**
 * An open cursor ({@code DECLARE … CURSOR FOR query}) over the query's materialized rows, moved
 * by FETCH and MOVE exactly as PostgreSQL's portal code moves a portal ({@code DoPortalRunFetch},
 * {@code PortalRunSelect}, {@code DoPortalRewind} of PostgreSQL 15's pquery.c): a portal
 * position ({@code portalPos}, {@code atStart}, {@code atEnd}) over an executor position.
 *
 * <pre>
 *   executor position:  0        1      2     …     n        n+1
 *                       before   row 1  row 2       row n    after
 *   forward step:  position+1, emit that row (past n: position n+1, stop)
 *   backward step: position-1, emit that row (before 1: position 0, stop)
 * </pre>
 *
 * A backward step or a rewind of a NO SCROLL cursor is 0A000 {@code cursor can only scan
 * forward}, as in PostgreSQL.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class Cursor {
  final String name;
  final List<ColumnInfo> columns;
  private final List<Object[]> rows;
  private final boolean scroll;
  /** WITH HOLD: kept when the transaction that declared it commits. */
  final boolean hold;

  /** The executor's position, 0 (before the first row) to n + 1 (after the last). */
  private int at;
  private long portalPos;
  private boolean atStart = true;
  private boolean atEnd;

  Cursor(String name, List<ColumnInfo> columns, List<Object[]> rows, boolean scroll, boolean hold) {
    this.name = name;
    this.columns = columns;
    this.rows = rows;
    this.scroll = scroll;
    this.hold = hold;
  }

  /** FETCH (rows into {@code out}) or MOVE ({@code out} null): the number of rows for the command tag. */
  long fetch(SqlFetch.Direction direction, long count, List<Object[]> out) throws SqlException {
    SqlFetch.Direction d = direction;
    long c = count;
    switch (d) {
      case ABSOLUTE -> {
        if (c > 0) {
          if (c - 1 <= portalPos / 2) {
            rewind();
            if (c > 1) {
              select(true, c - 1, null);
            }
          } else {
            long pos = portalPos + (atEnd ? 1 : 0);
            if (c <= pos) {
              select(false, pos - c + 1, null);
            } else if (c > pos + 1) {
              select(true, c - pos - 1, null);
            }
          }
          return select(true, 1, out);
        } else if (c < 0) {
          select(true, SqlFetch.ALL, null);
          if (c < -1) {
            select(false, -c - 1, null);
          }
          return select(false, 1, out);
        }
        rewind();
        return select(true, 0, out);
      }
      case RELATIVE -> {
        if (c > 0) {
          if (c > 1) {
            select(true, c - 1, null);
          }
          return select(true, 1, out);
        } else if (c < 0) {
          if (c < -1) {
            select(false, -c - 1, null);
          }
          return select(false, 1, out);
        }
        d = SqlFetch.Direction.FORWARD;
      }
      default -> { }
    }
    boolean forward = d == SqlFetch.Direction.FORWARD;
    if (c == 0) {
      boolean onRow = !atStart && !atEnd;
      if (out == null) {
        return onRow ? 1 : 0; // MOVE 0: whether FETCH 0 would return a row
      }
      if (onRow) {
        select(false, 1, null); // back up one to fetch the current row again
        c = 1;
        forward = true;
      }
    }
    if (!forward && c == SqlFetch.ALL && out == null) {
      long result = portalPos;
      if (result > 0 && !atEnd) {
        result--;
      }
      rewind();
      return result;
    }
    return select(forward, c, out);
  }

  /** PortalRunSelect: up to {@code count} rows ({@link SqlFetch#ALL}: all) in one direction; 0 moves nowhere. */
  private long select(boolean forward, long count, List<Object[]> out) throws SqlException {
    if (!forward) {
      checkScroll();
    }
    boolean still = (forward ? atEnd : atStart) || count <= 0;
    if (still) {
      return 0;
    }
    long want = count == SqlFetch.ALL ? Long.MAX_VALUE : count;
    long done = 0;
    while (done < want) {
      if (forward ? at < rows.size() : at > 1) {
        at += forward ? 1 : -1;
        if (out != null) {
          out.add(rows.get(at - 1));
        }
        done++;
      } else {
        at = forward ? rows.size() + 1 : 0;
        break;
      }
    }
    if (forward) {
      if (done > 0) {
        atStart = false;
      }
      if (count == SqlFetch.ALL || done < count) {
        atEnd = true;
      }
      portalPos += done;
    } else {
      if (done > 0 && atEnd) {
        atEnd = false;
        portalPos++;
      }
      if (count == SqlFetch.ALL || done < count) {
        atStart = true;
        portalPos = 0;
      } else {
        portalPos -= done;
      }
    }
    return done;
  }

  /** DoPortalRewind: back before the first row (a cursor not yet moved needs nothing). */
  private void rewind() throws SqlException {
    if (atStart && !atEnd) {
      return;
    }
    checkScroll();
    at = 0;
    atStart = true;
    atEnd = false;
    portalPos = 0;
  }

  private void checkScroll() throws SqlException {
    if (!scroll) {
      throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED, "cursor can only scan forward",
          null, "Declare it with SCROLL option to enable backward scan.", 0, null);
    }
  }

  /** A FETCH's rows: a new list for {@link #fetch}. */
  static List<Object[]> rowList() {
    return new ArrayList<>();
  }
}
