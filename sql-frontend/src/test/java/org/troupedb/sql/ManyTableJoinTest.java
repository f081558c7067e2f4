package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/** A join of many small tables plans with a heuristic join order, in well under a second each (issue 14). */
class ManyTableJoinTest implements SessionRunner {
  private SqlSession s;

  @Override
  public SqlSession session() {
    return s;
  }

  @Test
  void fortyTableEquiJoinPlansQuicklyAndAnswersRight() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "defaultdb", Map.of()));
    int n = 40;
    StringBuilder from = new StringBuilder();
    StringBuilder where = new StringBuilder();
    for (int i = 0; i < n; i++) {
      run("CREATE TABLE j" + i + " (id int PRIMARY KEY, v int)");
      run("INSERT INTO j" + i + " VALUES (1, " + (i + 1) + "), (2, " + (i + 2) + "), (3, NULL)");
      from.append(i == 0 ? "" : ", ").append('j').append(i);
      if (i > 0) {
        where.append(i == 1 ? "" : " AND ").append('j').append(i - 1).append(".id = j").append(i).append(".id");
      }
    }
    String sql = "SELECT count(*), sum(j0.v), max(j39.v) FROM " + from + " WHERE " + where + " AND j20.v IS NOT NULL";
    long t0 = System.nanoTime();
    List<List<Object>> rows = rows(sql);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(rows).containsExactly(List.of(2L, 3L, 41));
    // Exhaustive reordering of 40 relations would not finish; the greedy order takes milliseconds
    // (the bound leaves room for a loaded CI machine).
    assertThat(took).isLessThan(Duration.ofSeconds(20));
  }
}
