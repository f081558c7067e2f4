package org.troupedb.sql;

/**
 * The result of {@code COPY table [(columns)] TO STDOUT}: {@link #rows()} yields the rows (values
 * as in {@link PgType}) for the wire layer to format with {@link #options()} and send as CopyData;
 * {@link #commandTag()} is {@code COPY n}.
 */
public interface CopyOut extends StatementResult {

  /** How to format the data (text or CSV, delimiter, NULL string, ...). */
  CopyOptions options();
}
