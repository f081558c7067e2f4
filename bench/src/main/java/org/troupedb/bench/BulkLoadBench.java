package org.troupedb.bench;

import java.io.StringReader;
import java.sql.*;
import org.postgresql.PGConnection;

/**
 * Loads ROWS rows of {@code bl (id INT PRIMARY KEY, k INT, v TEXT)} (with an index on k) over
 * pgjdbc in autocommit mode and prints rows/s: {@code java -cp bench/target/troupedb-bench.jar
 * org.troupedb.bench.BulkLoadBench URL ROWS MODE BATCH}, MODE one of {@code batch} (executeBatch
 * of BATCH rows), {@code batch-rewrite} (the same with reWriteBatchedInserts), {@code values}
 * (multi-row INSERTs of BATCH rows), {@code copy} (CopyManager). Runs against TroupeDB or
 * PostgreSQL alike; drops and creates the table first.
 */
public final class BulkLoadBench {
  private BulkLoadBench() {}

  public static void main(String[] a) throws Exception {
    String url = a[0]; int rows = Integer.parseInt(a[1]); String mode = a[2]; int batch = Integer.parseInt(a[3]);
    if (mode.equals("batch-rewrite")) url += "&reWriteBatchedInserts=true";
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS bl");
      st.execute("CREATE TABLE bl (id INT PRIMARY KEY, k INT, v TEXT)");
      st.execute("CREATE INDEX bl_k ON bl (k)");
      String filler = "x".repeat(60);
      long t0 = System.nanoTime();
      switch (mode) {
        case "batch", "batch-rewrite" -> {
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO bl VALUES (?, ?, ?)")) {
            for (int i = 1; i <= rows; i++) {
              ps.setInt(1, i); ps.setInt(2, i % 1000); ps.setString(3, filler);
              ps.addBatch();
              if (i % batch == 0 || i == rows) ps.executeBatch();
            }
          }
        }
        case "values" -> {
          for (int i = 1; i <= rows; ) {
            StringBuilder sb = new StringBuilder("INSERT INTO bl VALUES ");
            int n = Math.min(batch, rows - i + 1);
            try (PreparedStatement ps = c.prepareStatement(sb.append(
                String.join(", ", java.util.Collections.nCopies(n, "(?, ?, ?)"))).toString())) {
              for (int j = 0; j < n; j++, i++) {
                ps.setInt(3 * j + 1, i); ps.setInt(3 * j + 2, i % 1000); ps.setString(3 * j + 3, filler);
              }
              ps.executeUpdate();
            }
          }
        }
        case "copy" -> {
          StringBuilder sb = new StringBuilder();
          for (int i = 1; i <= rows; i++) sb.append(i).append('\t').append(i % 1000).append('\t').append(filler).append('\n');
          t0 = System.nanoTime();
          ((PGConnection) c).getCopyAPI().copyIn("COPY bl FROM STDIN", new StringReader(sb.toString()));
        }
        default -> throw new IllegalArgumentException(mode);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM bl")) { rs.next(); if (rs.getLong(1) != rows) throw new AssertionError("rows " + rs.getLong(1)); }
      System.out.printf("%s rows=%d batch=%d seconds=%.2f rows/s=%.0f%n", mode, rows, batch, s, rows / s);
    }
  }
}
