package org.troupedb.sql.internal.errors;

import org.troupedb.sql.SqlException;

/** Carries a {@link SqlException} through Calcite's unchecked execution code. */
public final class SqlRuntimeException extends RuntimeException {
  public SqlRuntimeException(SqlException cause) {
    super(cause.getMessage(), cause, false, false);
  }

  public SqlException sqlException() {
    return (SqlException) getCause();
  }
}
