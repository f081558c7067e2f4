package org.troupedb.sql.internal.errors;

import java.util.concurrent.atomic.AtomicBoolean;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * A session's cancel flag (set: the running statement stops at its next check) that also says
 * why, so the statement fails as PostgreSQL's would: 57014 for a CancelRequest or a client gone,
 * 57014 "due to statement timeout" when {@code statement_timeout} ran out.
 *
 * <p>Each statement {@link #begin}s a new generation; a timer armed for one statement cancels
 * only that generation, so a timer that fires as its statement ends cannot stop the next one.
 */
public final class CancelFlag extends AtomicBoolean {
  public static final String USER_REQUEST = "canceling statement due to user request";
  public static final String STATEMENT_TIMEOUT = "canceling statement due to statement timeout";

  /** Guarded by {@code this}. */
  private long generation;
  private volatile String reason = USER_REQUEST;

  /** A statement starts: clears the flag and returns its generation. */
  public synchronized long begin() {
    generation++;
    reason = USER_REQUEST;
    set(false);
    return generation;
  }

  /** Cancels the statement of {@code gen} (if it still runs) with {@code why}. Any thread. */
  public synchronized void cancel(long gen, String why) {
    if (gen == generation && !get()) {
      reason = why;
      set(true);
    }
  }

  /** The error a canceled statement fails with. */
  public static SqlException error(AtomicBoolean flag) {
    String why = flag instanceof CancelFlag c ? c.reason : USER_REQUEST;
    return new SqlException(SqlState.QUERY_CANCELED, why);
  }
}
