package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.Psql;

/**
 * How long the catalog queries tools send take on a 200-table schema: pgjdbc's getTables,
 * getColumns, getPrimaryKeys, getIndexInfo and psql's {@code \d} / {@code \d table} (an old table
 * and the newest one), each on its first call (once the node has warmed the clients' statements:
 * CatalogWarmer), repeated, and right after a CREATE TABLE. Prints a table of times (no
 * timed assertion; the answers' sizes are checked). Run with
 * {@code mvn -B -pl node -am verify -DexcludedGroups=none -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=CatalogSpeedIT}; README has the numbers.
 */
@Tag("slow")
class CatalogSpeedIT {
  private static final int TABLES = 200;

  @TempDir Path tmp;

  interface Call {
    int rows(DatabaseMetaData md) throws SQLException;
  }

  @Test
  void catalogQueriesOnTwoHundredTables() throws Exception {
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")));
         Connection c = DriverManager.getConnection(
             "jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/defaultdb?user=root")) {
      try (Statement st = c.createStatement()) {
        for (int i = 0; i < TABLES; i++) {
          st.execute("CREATE TABLE wide" + i + " (id INT PRIMARY KEY, a TEXT, b VARCHAR(20), c NUMERIC(10,2),"
              + " d DATE, e BIGINT NOT NULL DEFAULT 7, f BOOLEAN, g DOUBLE PRECISION)");
        }
      }
      long w0 = System.nanoTime();
      node.catalogWarmed().get(3, java.util.concurrent.TimeUnit.MINUTES);
      System.out.println("waited " + (System.nanoTime() - w0) / 1_000_000 + " ms for the node's catalog warming");
      Psql psql = new Psql("127.0.0.1", node.pgAddress().getPort(), "root", "defaultdb");
      List<String> report = new ArrayList<>();
      int extra = 0;
      for (String phase : List.of("first", "repeated", "after DDL")) {
        if (phase.equals("after DDL")) {
          try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE extra" + extra++ + " (id INT PRIMARY KEY)");
          }
        }
        int tables = TABLES + extra;
        StringBuilder line = new StringBuilder(String.format("%-10s", phase));
        line.append(time(c, "getTables", md -> count(md.getTables(null, "public", "%", new String[] {"TABLE"})),
            tables));
        line.append(time(c, "getColumns", md -> count(md.getColumns(null, "public", "%", "%")),
            TABLES * 8 + extra));
        line.append(time(c, "getPrimaryKeys", md -> count(md.getPrimaryKeys(null, "public", "wide7")), 1));
        line.append(time(c, "getIndexInfo", md -> count(md.getIndexInfo(null, "public", "wide7", false, false)),
            1));
        String newest = extra == 0 ? "wide" + (TABLES - 1) : "extra" + (extra - 1);
        long t0 = System.nanoTime();
        String d = psql.runCommand("\\d").stdout();
        long t1 = System.nanoTime();
        String dt = psql.runCommand("\\d wide7").stdout();
        long t2 = System.nanoTime();
        String dn = psql.runCommand("\\d " + newest).stdout();
        long t3 = System.nanoTime();
        assertThat(d).contains("wide199");
        assertThat(dt).contains("\"wide7_pkey\" PRIMARY KEY, btree (id)");
        assertThat(dn).contains("\"" + newest + "_pkey\" PRIMARY KEY, btree (id)");
        line.append(String.format("  psql \\d %6d ms  \\d wide7 %6d ms  \\d %s %6d ms", (t1 - t0) / 1_000_000,
            (t2 - t1) / 1_000_000, newest, (t3 - t2) / 1_000_000));
        report.add(line.toString());
      }
      System.out.println("Catalog queries on " + TABLES + " tables (ms; psql includes starting psql):");
      report.forEach(System.out::println);
    }
  }

  private static String time(Connection c, String name, Call call, int expectedRows) throws SQLException {
    long t = System.nanoTime();
    int rows = call.rows(c.getMetaData());
    long ms = (System.nanoTime() - t) / 1_000_000;
    assertThat(rows).as(name).isEqualTo(expectedRows);
    return String.format("  %s %6d ms", name, ms);
  }

  private static int count(ResultSet rs) throws SQLException {
    int n = 0;
    try (rs) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }
}
