package org.troupedb.sql;

/**
 * An error to report to the client as ErrorResponse: a PostgreSQL SQLSTATE (see {@link SqlState}),
 * a message, and optionally a detail, a hint and a position. No stack trace ever reaches a client.
 */
public class SqlException extends Exception {
  private final String sqlState;
  private final String detail;
  private final String hint;
  private final int position;
  private String context;

  public SqlException(String sqlState, String message) {
    this(sqlState, message, null, null, null);
  }

  public SqlException(String sqlState, String message, Throwable cause) {
    this(sqlState, message, null, null, cause);
  }

  public SqlException(String sqlState, String message, String detail, String hint, Throwable cause) {
    this(sqlState, message, detail, hint, 0, cause);
  }

  /**
   * @param position where in the query string the error is, as PostgreSQL's ErrorResponse 'P'
   *     field: a 1-based character index into the whole string the client sent; 0 for none
   */
  public SqlException(String sqlState, String message, String detail, String hint, int position,
      Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
    this.detail = detail;
    this.hint = hint;
    this.position = Math.max(position, 0);
  }

  public String sqlState() {
    return sqlState;
  }

  public String detail() {
    return detail;
  }

  public String hint() {
    return hint;
  }

  /** The 1-based character position of the error in the query string, or 0 if it has none. */
  public int position() {
    return position;
  }

  /**
   * This error at {@code position} (1-based; 0 removes it). NB: the copy keeps the cause and the
   * stack trace but is a plain {@code SqlException}; {@link #severity()} is carried over only for
   * ERROR, so do not relocate FATAL errors.
   */
  public SqlException withPosition(int position) {
    SqlException e = new SqlException(sqlState, getMessage(), detail, hint, position, getCause());
    e.context = context;
    e.setStackTrace(getStackTrace());
    return e;
  }

  /**
   * Where the error happened, as PostgreSQL's CONTEXT line (ErrorResponse field 'W'), e.g.
   * {@code COPY t, line 3, column b: "x"}; null if none.
   */
  public String context() {
    return context;
  }

  /** This error with a CONTEXT line (same NB as {@link #withPosition}). */
  public SqlException withContext(String context) {
    SqlException e = withPosition(position);
    e.context = context;
    return e;
  }

  /** ERROR, or FATAL for errors that end the session. */
  public String severity() {
    return "ERROR";
  }

  /** 0A000 naming the unsupported feature. */
  public static SqlException unsupported(String feature) {
    return new SqlException(SqlState.FEATURE_NOT_SUPPORTED, feature + " is not supported");
  }
}
