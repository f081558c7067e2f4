package org.troupedb.pgwire;

import org.troupedb.sql.SqlState;

/** A frontend message that breaks the protocol: answered with 08P01 and the connection closed. */
final class PgProtocolException extends Exception {
  PgProtocolException(String message) {
    super(message, null, false, false);
  }

  String sqlState() {
    return SqlState.PROTOCOL_VIOLATION;
  }
}
