package org.troupedb.bench.listappend;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.troupedb.bench.listappend.Txn.Outcome;
import org.troupedb.bench.tpcc.Db;

/**
 * How the workload records outcomes, against a scripted fake connection: a 40001 at COMMIT is a
 * failure, a lost connection at COMMIT is indeterminate (info) and the client goes on as a new
 * process, an error in a statement is a failure; nothing is retried.
 */
class ListAppendWorkloadTest {

  /** commit number -> SQLSTATE thrown by that COMMIT (1-based); every statement returns an empty list. */
  private static Connection scripted(AtomicInteger commits, List<String> commitErrors) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "commit" -> {
            int n = commits.incrementAndGet();
            String state = n <= commitErrors.size() ? commitErrors.get(n - 1) : null;
            if (state != null) {
              throw new SQLException("scripted", state);
            }
            yield null;
          }
          case "prepareStatement" -> statement();
          case "isValid" -> true;
          case "isClosed" -> false;
          default -> null;
        });
  }

  private static PreparedStatement statement() {
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, m, args) -> switch (m.getName()) {
          case "executeUpdate" -> 1;
          case "executeQuery" -> Proxy.newProxyInstance(ResultSet.class.getClassLoader(),
              new Class<?>[] {ResultSet.class}, (p, rm, ra) -> rm.getName().equals("next") ? false : null);
          default -> null;
        });
  }

  @Test
  void commitErrorsAreFailOrInfoAndInfoStartsANewProcess() throws Exception {
    AtomicInteger commits = new AtomicInteger();
    // commit 1 ok, 2: serialization failure, 3: connection lost, then ok
    Connection fake = scripted(commits, java.util.Arrays.asList(null, "40001", "08006"));
    ListAppendWorkload.Config config = ListAppendWorkload.Config.of(new Db("jdbc:unused", null, null), 1,
        Duration.ofSeconds(1), 3);
    ListAppendWorkload.Run run = new ListAppendWorkload(config, () -> fake).run();
    List<Txn> txns = run.history().txns();
    assertThat(txns.size()).isGreaterThan(4);
    assertThat(txns.subList(0, 4)).extracting(Txn::outcome)
        .containsExactly(Outcome.OK, Outcome.FAIL, Outcome.INFO, Outcome.OK);
    assertThat(txns.subList(0, 4)).extracting(Txn::process).containsExactly(0, 0, 0, 1);
    // a failed or indeterminate transaction's reads are unknown
    assertThat(txns.get(2).ops()).allMatch(op -> !(op instanceof Txn.Read r) || r.values() == null);
    assertThat(run.errorCodes()).containsEntry("40001", 1L).containsEntry("08006", 1L);
    // the last transaction is the final read of every key used
    Txn last = txns.get(txns.size() - 1);
    assertThat(last.ops()).isNotEmpty().allMatch(op -> op instanceof Txn.Read);
    // the fake database forgets every append: lost appends, and nothing else
    assertThat(ListAppendChecker.check(run.history()).counts()).containsOnlyKeys(Anomaly.Kind.LOST_APPEND);
  }

  @Test
  void completionUnknownAtCommitIsInfoAndTheListenerSeesEveryOutcome() throws Exception {
    AtomicInteger commits = new AtomicInteger();
    // commit 1: statement completion unknown (may have committed), 2: deadlock (did not), then ok
    Connection fake = scripted(commits, java.util.Arrays.asList("40003", "40P01"));
    ListAppendWorkload.Config config = ListAppendWorkload.Config.of(new Db("jdbc:unused", null, null), 1,
        Duration.ofMillis(300), 3);
    ListAppendWorkload workload = new ListAppendWorkload(config, () -> fake);
    List<long[]> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    List<Txn> told = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    workload.onCompletion((txn, startNanos, endNanos) -> {
      told.add(txn);
      seen.add(new long[] {startNanos, endNanos});
    });
    ListAppendWorkload.Run run = workload.run();
    List<Txn> txns = run.history().txns();
    assertThat(txns.subList(0, 3)).extracting(Txn::outcome).containsExactly(Outcome.INFO, Outcome.FAIL, Outcome.OK);
    assertThat(told).containsExactlyElementsOf(txns); // the final reads included
    assertThat(seen).allMatch(t -> t[0] <= t[1]);
  }
}
