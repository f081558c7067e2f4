package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Buffers rows for one table and writes them with a prepared multi-row
 * {@code INSERT INTO t (c1, ...) VALUES (?, ...), (?, ...)} of up to {@code rowsPerStatement} rows
 * (autocommit: one statement, one transaction). The full-size statement is prepared once and
 * reused; only the last, shorter batch prepares its own.
 *
 * <p>Values are bound with {@code setObject(i, value)} and nulls with {@code setNull(i, sqlType)}.
 * NB: pass timestamps as {@link java.time.LocalDateTime} (pgjdbc binds it as {@code timestamp});
 * a {@link java.sql.Timestamp} or a null TIMESTAMP goes out untyped, which makes pgjdbc ask the
 * server for the parameter types once the statement is server-prepared.
 */
final class MultiRowInsert implements AutoCloseable {

  /** PostgreSQL's protocol caps one statement at 65535 bind parameters. */
  static final int MAX_PARAMETERS = 65_535;

  private final Connection conn;
  private final String table;
  private final String columns;
  private final int[] sqlTypes;
  private final int rowsPerStatement;
  private final AtomicLong rowsWritten;
  private final List<Object[]> pending = new ArrayList<>();
  private PreparedStatement full;

  /**
   * @param columns comma-separated column list
   * @param sqlTypes one {@link java.sql.Types} value per column
   * @param rowsWritten incremented after every executed statement (progress display)
   */
  MultiRowInsert(Connection conn, String table, String columns, int[] sqlTypes,
      int rowsPerStatement, AtomicLong rowsWritten) {
    this.conn = conn;
    this.table = table;
    this.columns = columns;
    this.sqlTypes = sqlTypes.clone();
    this.rowsPerStatement = Math.max(1, Math.min(rowsPerStatement, MAX_PARAMETERS / sqlTypes.length));
    this.rowsWritten = rowsWritten;
  }

  void add(Object... row) throws SQLException {
    if (row.length != sqlTypes.length) {
      throw new IllegalArgumentException(table + ": " + row.length + " values for "
          + sqlTypes.length + " columns");
    }
    pending.add(row);
    if (pending.size() == rowsPerStatement) {
      if (full == null) {
        full = conn.prepareStatement(sql(rowsPerStatement));
      }
      execute(full);
    }
  }

  /** Writes what is buffered. */
  void flush() throws SQLException {
    if (!pending.isEmpty()) {
      try (PreparedStatement tail = conn.prepareStatement(sql(pending.size()))) {
        execute(tail);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      flush();
    } finally {
      if (full != null) {
        full.close();
      }
    }
  }

  String sql(int rows) {
    StringBuilder row = new StringBuilder("(");
    for (int i = 0; i < sqlTypes.length; i++) {
      row.append(i == 0 ? "?" : ", ?");
    }
    row.append(')');
    StringBuilder sb = new StringBuilder("INSERT INTO ").append(table).append(" (")
        .append(columns).append(") VALUES ");
    for (int r = 0; r < rows; r++) {
      sb.append(r == 0 ? "" : ", ").append(row);
    }
    return sb.toString();
  }

  private void execute(PreparedStatement ps) throws SQLException {
    int p = 1;
    for (Object[] row : pending) {
      for (int i = 0; i < row.length; i++) {
        if (row[i] == null) {
          ps.setNull(p++, sqlTypes[i]);
        } else {
          ps.setObject(p++, row[i]);
        }
      }
    }
    ps.executeUpdate();
    rowsWritten.addAndGet(pending.size());
    pending.clear();
  }
}
