package org.troupedb.node.differential;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs {@link QueryGenerator}'s schemas and queries on PostgreSQL and on TroupeDB and compares
 * them: the result multisets (rows sorted, numbers compared by value) or, when either fails, the
 * SQLSTATE classes. Every mismatch is kept with its seed, query number and SQL.
 */
public final class DifferentialRunner {
  /** One difference: the seed and query number that reproduce it, the SQL and both answers. */
  public record Mismatch(long seed, int query, String sql, String postgres, String troupe) {
    @Override
    public String toString() {
      return "seed " + seed + " query " + query + ": " + sql + "\n  PostgreSQL: " + postgres + "\n  TroupeDB:   " + troupe;
    }
  }

  /**
   * Queries run, those both answered, the mismatches, the time each database took to answer the
   * queries, and the time the schema took (created and dropped on both).
   */
  public record Outcome(int queries, int bothAnswered, List<Mismatch> mismatches, long postgresNanos,
      long troupeNanos, long schemaNanos) {}

  private final Connection postgres;
  private final Connection troupe;

  public DifferentialRunner(Connection postgres, Connection troupe) {
    this.postgres = postgres;
    this.troupe = troupe;
  }

  /** A fresh schema from {@code seed}, then {@code queries} queries compared; the schema is dropped after. */
  public Outcome run(long seed, int queries) throws SQLException {
    QueryGenerator gen = new QueryGenerator(seed);
    List<String> schema = gen.schema();
    long s0 = System.nanoTime();
    long schemaNanos = 0;
    try {
      for (String ddl : schema) {
        execute(postgres, ddl);
        execute(troupe, ddl);
      }
      schemaNanos = System.nanoTime() - s0;
      List<Mismatch> mismatches = new ArrayList<>();
      int both = 0;
      long pgNanos = 0;
      long trNanos = 0;
      for (int q = 0; q < queries; q++) {
        String sql = gen.query();
        long t0 = System.nanoTime();
        Answer pg = answer(postgres, sql);
        long t1 = System.nanoTime();
        Answer tr = answer(troupe, sql);
        pgNanos += t1 - t0;
        trNanos += System.nanoTime() - t1;
        if (pg.error == null && tr.error == null) {
          both++;
        }
        if (!pg.sameAs(tr)) {
          mismatches.add(new Mismatch(seed, q, sql, pg.toString(), tr.toString()));
        }
      }
      long d0 = System.nanoTime();
      dropSchema(gen);
      return new Outcome(queries, both, mismatches, pgNanos, trNanos, schemaNanos + System.nanoTime() - d0);
    } catch (SQLException | RuntimeException e) {
      dropSchema(gen);
      throw e;
    }
  }

  private void dropSchema(QueryGenerator gen) throws SQLException {
    for (String drop : gen.dropSchema()) {
      execute(postgres, drop);
      execute(troupe, drop);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Rows (each a list of column texts) or an error (SQLSTATE and message). */
  private record Answer(List<List<String>> rows, String error, String state) {
    boolean sameAs(Answer o) {
      if (error != null || o.error != null) {
        return error != null && o.error != null && stateClass(state).equals(stateClass(o.state));
      }
      if (rows.size() != o.rows.size()) {
        return false;
      }
      for (int i = 0; i < rows.size(); i++) {
        List<String> a = rows.get(i);
        List<String> b = o.rows.get(i);
        if (a.size() != b.size()) {
          return false;
        }
        for (int c = 0; c < a.size(); c++) {
          if (!sameValue(a.get(c), b.get(c))) {
            return false;
          }
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return error != null ? "ERROR " + state + ": " + error : rows.toString();
    }
  }

  private static String stateClass(String state) {
    return state == null || state.length() < 2 ? "??" : state.substring(0, 2);
  }

  private static boolean sameValue(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.equals(b)) {
      return true;
    }
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    return x != null && y != null && x.compareTo(y) == 0;
  }

  private static BigDecimal number(String s) {
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Answer answer(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(20);
      List<List<String>> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            row.add(normalize(rs.getString(i)));
          }
          rows.add(row);
        }
      }
      rows.sort((r1, r2) -> String.valueOf(canonical(r1)).compareTo(String.valueOf(canonical(r2))));
      return new Answer(rows, null, null);
    } catch (SQLException e) {
      return new Answer(Collections.emptyList(), e.getMessage(), e.getSQLState());
    }
  }

  /** A row's sort key: numbers by value (so {@code 2.0} and {@code 2} sort alike), NULL first. */
  private static String canonical(List<String> row) {
    StringBuilder sb = new StringBuilder();
    for (String v : row) {
      BigDecimal d = v == null ? null : number(v);
      sb.append(v == null ? "\u0000" : d != null ? d.stripTrailingZeros().toPlainString() : v).append('\u0001');
    }
    return sb.toString();
  }

  private static String normalize(String v) {
    if (v == null) {
      return null;
    }
    return switch (v) {
      case "t", "true" -> "t";
      case "f", "false" -> "f";
      default -> v;
    };
  }
}
