package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.LocalPostgres;

/**
 * Names as PostgreSQL takes them (issue 14): every keyword that PostgreSQL 15 does not reserve
 * (its own {@code pg_get_keywords()}, categories U and C), and names that are keywords only in
 * Calcite's grammar, used unquoted as a table name, a column name, a qualified column and an
 * alias, on TroupeDB and on a real PostgreSQL. The words where TroupeDB still differs are pinned
 * in {@code compat/keywords.known-fail}: the test fails when that list is not exactly the set of
 * differences, so it can only shrink.
 */
class KeywordsIT extends InProcessNodeFixture {
  /** Reserved in Calcite's core grammar but not keywords in PostgreSQL at all. */
  private static final List<String> CALCITE_ONLY = List.of("blob", "condition", "lower", "upper", "rank",
      "period", "value", "year", "count", "sum", "min", "max", "avg", "result", "member", "cardinality",
      "dense_rank", "row_number", "ceil", "floor", "power", "sqrt", "translate", "every", "date");

  private LocalPostgres postgres;

  @BeforeAll
  void startPostgres() {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void everyNonReservedPostgresKeywordIsANameAsInPostgres() throws Exception {
    List<String> words = new ArrayList<>();
    try (Connection pg = DriverManager.getConnection(postgres.jdbcUrl());
        Statement st = pg.createStatement();
        ResultSet rs = st.executeQuery("SELECT word FROM pg_get_keywords() WHERE catcode IN ('U', 'C') ORDER BY 1")) {
      while (rs.next()) {
        words.add(rs.getString(1));
      }
    }
    assertThat(words).hasSizeGreaterThan(300).contains("abort", "cycle");
    words.addAll(CALCITE_ONLY);

    Map<String, String> onPostgres = outcomes(postgres.jdbcUrl(), words);
    Map<String, String> onTroupe = outcomes("jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort()
        + "/defaultdb?user=root", words);
    TreeSet<String> differ = new TreeSet<>();
    for (String w : words) {
      assertThat(onPostgres.get(w)).as("PostgreSQL takes %s as a name", w).isEqualTo("ok");
      if (!onTroupe.get(w).equals(onPostgres.get(w))) {
        differ.add(w);
      }
    }
    assertThat(differ).as("words TroupeDB takes differently from PostgreSQL (%s)", onTroupe)
        .containsExactlyElementsOf(knownFailures());
  }

  /** Per word: "ok" when every statement using it as a name ran and returned the row, else the SQLSTATE. */
  private static Map<String, String> outcomes(String url, List<String> words) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String w : words) {
        String t = "kw_" + w; // a table per word; the word itself is tried as a table name too
        try {
          st.execute("CREATE TABLE " + w + " (" + w + " int PRIMARY KEY, x int)");
          st.execute("DROP TABLE " + w);
          st.execute("CREATE TABLE " + t + " (" + w + " int PRIMARY KEY, x int)");
          st.execute("INSERT INTO " + t + " (" + w + ", x) VALUES (1, 2)");
          try (ResultSet rs = st.executeQuery("SELECT " + t + "." + w + ", x AS " + w + " FROM " + t
              + " WHERE " + w + " = 1")) {
            boolean ok = rs.next() && rs.getInt(1) == 1 && rs.getInt(2) == 2;
            if (ok) { // the word as a table alias
              try (ResultSet r2 = st.executeQuery("SELECT " + w + "." + w + " FROM " + t + " AS " + w)) {
                ok = r2.next() && r2.getInt(1) == 1;
              }
            }
            out.put(w, ok ? "ok" : "wrong row");
          }
        } catch (SQLException e) {
          out.put(w, e.getSQLState());
        } finally {
          st.execute("DROP TABLE IF EXISTS \"" + w + "\"");
          st.execute("DROP TABLE IF EXISTS " + t);
        }
      }
    }
    return out;
  }

  private static List<String> knownFailures() throws IOException {
    try (InputStream in = KeywordsIT.class.getResourceAsStream("/compat/keywords.known-fail")) {
      List<String> words = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String w = line.strip();
        if (!w.isEmpty() && !w.startsWith("#")) {
          words.add(w);
        }
      }
      return words;
    }
  }
}
