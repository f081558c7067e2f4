package org.troupedb.pgwire;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * How engine failures become protocol errors: an engine call's unchecked exception turns into the
 * {@link SqlException} it carries, or XX000 "internal error" after logging — a stack trace never
 * reaches the client.
 */
final class PgErrors {
  private static final Logger LOG = LoggerFactory.getLogger(PgErrors.class);

  private PgErrors() {}

  /** An engine call that may fail with a {@link SqlException}. */
  interface SqlCall<T> {
    T call() throws SqlException;
  }

  /** An engine call with no result. */
  interface SqlRun {
    void run() throws SqlException;
  }

  /** Runs an engine call, turning a RuntimeException into the SqlException it carries (or XX000). */
  static <T> T guard(SqlCall<T> call) throws SqlException {
    try {
      return call.call();
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError e) {
      throw unwrap(e);
    }
  }

  /** As {@link #guard(SqlCall)}, for a call with no result. */
  static void guardRun(SqlRun run) throws SqlException {
    guard(() -> {
      run.run();
      return null;
    });
  }

  /**
   * The SqlException somewhere in {@code e}'s causes (lazy row iterators can only throw unchecked),
   * or XX000 with a generic message after logging the unexpected exception. NB: engine bugs can
   * surface as errors too (an ExceptionInInitializerError from generated code, a stack overflow on
   * a deep expression); they get XX000 like any bug instead of leaving the client waiting.
   */
  static SqlException unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SqlException s) {
        return s;
      }
    }
    LOG.error("unexpected error executing statement", e);
    return new SqlException(SqlState.INTERNAL_ERROR, "internal error");
  }
}
