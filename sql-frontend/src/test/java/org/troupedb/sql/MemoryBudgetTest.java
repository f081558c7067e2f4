package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * The per-statement memory budget (troupedb.statement_memory): hash joins, hash aggregates,
 * DISTINCT, scans and results that would hold more fail with 53200 naming the operator, sorts
 * spill to disk; the same queries under the budget answer as PostgreSQL does.
 */
class MemoryBudgetTest implements SessionRunner {
  private SqlSession s;

  @Override
  public SqlSession session() {
    return s;
  }

  @BeforeEach
  void open() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  private SqlException outOfMemory(String sql) {
    SqlException e = catchThrowableOfType(() -> rows(sql), SqlException.class);
    assertThat(e).as(sql).isNotNull();
    assertThat(e.sqlState()).as(e.getMessage()).isEqualTo("53200");
    assertThat(e.getMessage()).isEqualTo("out of memory");
    return e;
  }

  @Test
  void theSettingReadsAndPrintsLikeWorkMem() throws Exception {
    // texts and values as PostgreSQL 15 prints them for work_mem (SET work_mem = 1536; SHOW → 1536kB)
    assertThat(rows("SHOW troupedb.statement_memory")).containsExactly(List.of("1GB"));
    run("SET troupedb.statement_memory = '2048kB'");
    assertThat(rows("SHOW troupedb.statement_memory")).containsExactly(List.of("2MB"));
    run("SET troupedb.statement_memory = 1536");
    assertThat(rows("SHOW troupedb.statement_memory")).containsExactly(List.of("1536kB"));
    SqlException bad = catchThrowableOfType(() -> run("SET troupedb.statement_memory = '5 parsecs'"), SqlException.class);
    assertThat(bad.sqlState()).isEqualTo("22023");
    assertThat(bad.getMessage()).isEqualTo("invalid value for parameter \"troupedb.statement_memory\": \"5 parsecs\"");
    assertThat(bad.hint()).isEqualTo("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".");
    SqlException small = catchThrowableOfType(() -> run("SET troupedb.statement_memory = '1kB'"), SqlException.class);
    assertThat(small.sqlState()).isEqualTo("22023");
    // PostgreSQL 15, SET work_mem = '1kB':
    assertThat(small.getMessage())
        .isEqualTo("1 kB is outside the valid range for parameter \"troupedb.statement_memory\" (64 .. 2147483647)");
    run("RESET troupedb.statement_memory");
    assertThat(rows("SHOW troupedb.statement_memory")).containsExactly(List.of("1GB"));
  }

  @Test
  void generateSeriesStreams() throws Exception {
    run("SET troupedb.statement_memory = '1MB'");
    // 3 million rows through a filter and count: nothing holds them
    assertThat(rows("SELECT count(*) FROM generate_series(1, 3000000) g WHERE g % 7 = 3"))
        .containsExactly(List.of(428572L));
    assertThat(rows("SELECT count(*), min(g), max(g) FROM generate_series(5, 4) g")).containsExactly(
        java.util.Arrays.asList(0L, null, null));
  }

  @Test
  void aSortOverTheBudgetSpillsToDiskAndAnswersAsInMemory() throws Exception {
    String sql = "SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE md5(g::text) END h"
        + " FROM generate_series(1, 30000) g ORDER BY h DESC NULLS LAST, g";
    List<List<Object>> inMemory = rows(sql);
    assertThat(inMemory).hasSize(30000);
    long tempFiles = tempFiles();
    run("SET troupedb.statement_memory = '4MB'"); // ~4.5 MB of rows to sort: runs of 2 MB; a 3.6 MB result
    List<List<Object>> spilled = rows(sql);
    assertThat(spilled).isEqualTo(inMemory);
    assertThat(spilled.get(0).get(1)).isNotNull();
    assertThat(spilled.get(29999)).isEqualTo(java.util.Arrays.asList(30000, null));
    assertThat(tempFiles()).as("runs deleted").isEqualTo(tempFiles);
    List<List<Object>> desc = rows("SELECT g, g % 3 FROM generate_series(1, 50000) g ORDER BY g DESC");
    assertThat(desc).hasSize(50000);
    assertThat(desc.get(0)).isEqualTo(List.of(50000, 2));
    assertThat(desc.get(49999)).isEqualTo(List.of(1, 1));
    // one-column rows keep Calcite's sort, counted (see MemoryCountRel.spills)
    SqlException oneColumn = outOfMemory("SELECT g FROM generate_series(1, 60000) g ORDER BY g DESC");
    assertThat(oneColumn.detail()).isEqualTo("Sort needs more memory than the statement's memory limit"
        + " troupedb.statement_memory = 4MB allows.");
    assertThat(tempFiles()).as("runs deleted").isEqualTo(tempFiles);
  }

  private static long tempFiles() throws java.io.IOException {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("troupedb-sort-")).count();
    }
  }

  @Test
  void aHashJoinOverTheBudgetFailsNamingTheJoin() throws Exception {
    run("SET troupedb.statement_memory = '1MB'");
    SqlException e = outOfMemory("SELECT count(*) FROM generate_series(1, 100000) a"
        + " JOIN generate_series(1, 100000) b ON a = b");
    assertThat(e.detail()).startsWith("Hash Join needs more memory than");
    assertThat(rows("SELECT count(*) FROM generate_series(1, 3000) a JOIN generate_series(2, 4000) b ON a = b"))
        .containsExactly(List.of(2999L));
  }

  @Test
  void aHashAggregateCountsGroupsNotRows() throws Exception {
    run("SET troupedb.statement_memory = '1MB'");
    // a million rows in 7 groups fit
    assertThat(rows("SELECT g % 7, count(*) FROM generate_series(1, 1000000) g GROUP BY g % 7 ORDER BY 1"))
        .hasSize(7).first().isEqualTo(List.of(0, 142857L));
    SqlException e = outOfMemory("SELECT count(*) FROM (SELECT g, count(*) FROM generate_series(1, 200000) g GROUP BY g) x");
    assertThat(e.detail()).startsWith("HashAggregate needs more memory than");
    SqlException d = outOfMemory("SELECT count(*) FROM (SELECT DISTINCT g FROM generate_series(1, 200000) g) x");
    assertThat(d.detail()).startsWith("HashAggregate needs more memory than");
  }

  @Test
  void aResultOverTheBudgetStreamsAndItsBufferIsCounted() throws Exception {
    run("SET troupedb.statement_memory = '1MB'");
    // ~9 MB of rows: past the first 1024 (read whole, so an implicit transaction can still retry)
    // the rows stream to the client and nothing holds them
    assertThat(rows("SELECT g, 'some text to hold' FROM generate_series(1, 100000) g")).hasSize(100000);
    run("SET troupedb.statement_memory = '64kB'");
    SqlException e = outOfMemory("SELECT g, 'some text to hold' FROM generate_series(1, 100000) g");
    assertThat(e.detail()).startsWith("the query result needs more memory than");
    assertThat(rows("SELECT 1")).containsExactly(List.of(1));
  }

  @Test
  void aScanHoldsAPageAtATimeAndFailsNamingTheTableOnlyWhenAPageIsOverTheBudget() throws Exception {
    run("CREATE TABLE t (id int PRIMARY KEY, v text)");
    run("INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 3000) g");
    assertThat(rows("SELECT count(*), sum(length(v)) FROM t")).containsExactly(List.of(3000L, 600000L));
    run("CREATE TABLE w (id int PRIMARY KEY, v text)");
    run("INSERT INTO w SELECT g, repeat('y', 100000) FROM generate_series(1, 3) g");
    run("SET troupedb.statement_memory = '256kB'");
    // 700 kB of rows, read in pages of about 128 kB
    assertThat(rows("SELECT count(*), sum(length(v)) FROM t")).containsExactly(List.of(3000L, 600000L));
    run("SET troupedb.statement_memory = '64kB'");
    SqlException e = outOfMemory("SELECT count(*) FROM w");
    assertThat(e.detail()).startsWith("Seq Scan on w needs more memory than");
    assertThat(rows("SELECT v FROM t WHERE id = 7")).hasSize(1);
  }
}
