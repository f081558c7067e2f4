package org.troupedb.sql.internal;

import org.troupedb.sql.SqlException;

/** Carries a {@link SqlException} through Calcite's unchecked execution code. */
final class SqlRuntimeException extends RuntimeException {
  SqlRuntimeException(SqlException cause) {
    super(cause.getMessage(), cause, false, false);
  }

  SqlException sqlException() {
    return (SqlException) getCause();
  }
}
