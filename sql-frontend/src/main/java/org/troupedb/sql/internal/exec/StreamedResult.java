package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;
import org.apache.calcite.linq4j.Enumerator;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.CopyOptions;
import org.troupedb.sql.CopyOut;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/**
 * A result whose rows are still being read when it is returned: the first rows (already read,
 * {@code head}), then the rest pulled from the running plan or scan as the wire layer writes them,
 * so a large result never sits in memory. What has to happen when it ends (commit an implicit
 * transaction, fail a block, stop the statement timer) is attached with {@link #onEnd}.
 *
 * <pre>
 *   rows(): head ─▶ rest.moveNext() … ─▶ false: end(COMPLETED) ─▶ the tag counts every row
 *                                     └▶ throws: end(FAILED), rethrown (ErrorResponse)
 *   close() before the end (a portal closed, the connection gone): end(CLOSED)
 * </pre>
 *
 * <p>NB: once rows have gone to the client an implicit transaction can no longer be retried
 * invisibly: a 40001 met later reaches the client, as in CockroachDB past its result buffer.
 * Used on the session's thread only.
 */
public class StreamedResult implements StatementResult {
  /** How a streamed result ended. */
  public enum End { COMPLETED, FAILED, CLOSED }

  /** Run once when the result ends; a failure of a COMPLETED end becomes the statement's error. */
  public interface EndAction {
    void ended(End end) throws SqlException;
  }

  /** Results up to this many rows are read whole (and retried invisibly), as before. */
  public static final int BUFFER_ROWS = 1024;

  private final List<ColumnInfo> columns;
  private final String tagPrefix;
  private final List<Object[]> head;
  private final Enumerator<Object[]> rest;
  private final UnaryOperator<Object[]> external;
  private final List<EndAction> actions = new ArrayList<>();
  private long count;
  private int at;
  private End end;

  /**
   * {@code head}: rows already read and converted; {@code rest}: the rows after them, each
   * converted with {@code external} as it is read; {@code tagPrefix}: "SELECT " or "COPY ".
   */
  public StreamedResult(List<ColumnInfo> columns, String tagPrefix, List<Object[]> head, Enumerator<Object[]> rest,
      UnaryOperator<Object[]> external) {
    this.columns = columns;
    this.tagPrefix = tagPrefix;
    this.head = head;
    this.rest = rest;
    this.external = external;
  }

  /** Adds what to do when the result ends (in the order added); returns this. */
  public StreamedResult onEnd(EndAction action) {
    actions.add(action);
    return this;
  }

  /** Whether the result has ended (read to its end, failed or closed). */
  public boolean ended() {
    return end != null;
  }

  @Override
  public List<ColumnInfo> columns() {
    return columns;
  }

  @Override
  public String commandTag() {
    return tagPrefix + count;
  }

  @Override
  public Iterator<Object[]> rows() {
    return new Iterator<>() {
      private Object[] next;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        if (at < head.size()) {
          next = head.get(at);
          head.set(at++, null);
          return true;
        }
        if (end != null) {
          return false;
        }
        try {
          if (rest.moveNext()) {
            next = external.apply(rest.current());
            return true;
          }
        } catch (RuntimeException | Error e) {
          finish(End.FAILED);
          throw e;
        }
        finish(End.COMPLETED);
        return false;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object[] r = next;
        next = null;
        count++;
        return r;
      }
    };
  }

  /** Ends the result if it has not ended: the rest is not read (an implicit transaction rolls back). */
  @Override
  public void close() {
    if (end == null) {
      finish(End.CLOSED);
    }
  }

  /** Closes the source and runs the end actions; the first failure is thrown (unchecked) after all ran. */
  private void finish(End how) {
    end = how;
    RuntimeException failure = null;
    try {
      rest.close();
    } catch (RuntimeException e) {
      failure = e;
      how = End.FAILED;
    }
    for (EndAction a : actions) {
      try {
        a.ended(how);
      } catch (SqlException | RuntimeException e) {
        if (failure == null) {
          failure = e instanceof SqlException se ? new SqlRuntimeException(se) : (RuntimeException) e;
          how = how == End.COMPLETED ? End.FAILED : how;
        }
      }
    }
    if (failure != null) {
      throw failure instanceof SqlRuntimeException ? failure : new SqlRuntimeException(Errors.fromRuntime(failure));
    }
  }

  /** A streamed COPY TO STDOUT: the same, with its options; the tag is {@code COPY n}. */
  public static final class Copy extends StreamedResult implements CopyOut {
    private final CopyOptions options;

    public Copy(List<ColumnInfo> columns, Enumerator<Object[]> rows, UnaryOperator<Object[]> external,
        CopyOptions options) {
      super(columns, "COPY ", new ArrayList<>(), rows, external);
      this.options = options;
    }

    @Override
    public CopyOptions options() {
      return options;
    }
  }
}
