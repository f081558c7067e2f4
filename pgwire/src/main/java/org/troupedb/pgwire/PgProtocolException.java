package org.troupedb.pgwire;

import org.troupedb.sql.SqlState;

/**
 * A frontend message that breaks the protocol (08P01) or holds a string that is not UTF-8
 * (22021). Whether the connection survives depends on where: see {@link
 * PgFrontendMessages.MalformedBody}.
 */
final class PgProtocolException extends Exception {
  private final String sqlState;

  PgProtocolException(String message) {
    this(SqlState.PROTOCOL_VIOLATION, message);
  }

  PgProtocolException(String sqlState, String message) {
    super(message, null, false, false);
    this.sqlState = sqlState;
  }

  String sqlState() {
    return sqlState;
  }
}
