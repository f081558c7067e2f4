package org.troupedb.bench.listappend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.bench.listappend.Anomaly.Kind;
import org.troupedb.bench.tpcc.Db;
import org.troupedb.testkit.LocalPostgres;

/**
 * The list-append workload and checker against a real PostgreSQL 15: SERIALIZABLE is the control
 * (no anomaly), READ COMMITTED the deliberately weak isolation the checker must catch, with only
 * the anomalies PostgreSQL's read committed allows (it prevents G0 and G1, not G-single or G2).
 */
class ListAppendPostgresIT {
  private static LocalPostgres pg;

  @TempDir Path tmp;

  @BeforeAll
  static void startPostgres() {
    pg = LocalPostgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
    }
  }

  private ListAppendChecker.Result run(int isolation, Duration duration, String name) throws Exception {
    Db db = new Db(pg.jdbcUrl() + "&socketTimeout=60", null, null);
    ListAppendWorkload w = new ListAppendWorkload(ListAppendWorkload.Config.of(db, 8, duration, 10)
        .withIsolation(isolation));
    w.setUp();
    ListAppendWorkload.Run run = w.run();
    run.recorder().write(tmp.resolve(name + ".txt"));
    ListAppendChecker.Result result = ListAppendChecker.check(run.history());
    System.out.printf("list-append on PostgreSQL %s: %d ok, %d fail, %d info, %d txns/s, errors %s%n%s", name,
        run.history().count(Txn.Outcome.OK), run.history().count(Txn.Outcome.FAIL),
        run.history().count(Txn.Outcome.INFO), Math.round(run.txnsPerSecond()), run.errorCodes(), result.report(2));
    // the history written is the history checked
    assertThat(ListAppendChecker.check(History.read(tmp.resolve(name + ".txt"))).anomalies())
        .hasSameSizeAs(result.anomalies());
    assertThat(run.history().count(Txn.Outcome.OK)).isGreaterThan(50); // the workload ran, even on a loaded machine
    return result;
  }

  @Test
  void serializableIsClean() throws Exception {
    ListAppendChecker.Result r = run(Connection.TRANSACTION_SERIALIZABLE, Duration.ofSeconds(8), "serializable");
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.valid()).isTrue();
    assertThat(r.edges()).isPositive();
  }

  @Test
  void readCommittedIsCaughtWithTheAnomaliesItAllows() throws Exception {
    ListAppendChecker.Result r = run(Connection.TRANSACTION_READ_COMMITTED, Duration.ofSeconds(6), "read-committed");
    Set<Kind> kinds = r.counts().isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(r.counts().keySet());
    assertThat(kinds).isNotEmpty().containsAnyOf(Kind.G_SINGLE, Kind.G2)
        .isSubsetOf(Kind.G_SINGLE, Kind.G2);
  }
}
