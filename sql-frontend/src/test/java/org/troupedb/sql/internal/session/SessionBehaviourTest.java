package org.troupedb.sql.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.sql.SessionRunner.rows;
import static org.troupedb.sql.SessionRunner.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.ForwardingTxn;
import org.troupedb.sql.internal.WrappingTxnService;
import org.troupedb.testkit.InMemoryTxnService;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnRetryException;

class SessionBehaviourTest {

  /** Wraps the in-memory service to inject commit failures and blocking scans. */
  static final class FaultyKv extends WrappingTxnService {
    final AtomicInteger failCommits = new AtomicInteger();
    volatile CountDownLatch blockScans;
    final AtomicInteger tableKeysScanned = new AtomicInteger();

    @Override
    protected Txn wrap(Txn t, TxnOptions options) {
      return new ForwardingTxn(t) {
        @Override
        public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
          CountDownLatch l = blockScans;
          if (l != null && start[0] == 0x12) {
            l.countDown();
            return new CompletableFuture<>();
          }
          return delegate.scan(start, end, limit).thenApply(kvs -> {
            if (start[0] == 0x12) {
              tableKeysScanned.addAndGet(kvs.size());
            }
            return kvs;
          });
        }

        @Override
        public CompletionStage<Void> commit() {
          if (failCommits.getAndDecrement() > 0) {
            delegate.rollback();
            return CompletableFuture.failedFuture(new TxnRetryException(TxnRetryException.Reason.SERIALIZABLE, "test"));
          }
          return delegate.commit();
        }
      };
    }
  }

  @Test
  void implicitTransactionsRetryAndExplicitOnesReport40001() throws Exception {
    FaultyKv kv = new FaultyKv();
    Engine engine = new Engine(kv);
    SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(s, "CREATE TABLE t (id INT PRIMARY KEY)");
    kv.failCommits.set(2);
    assertThat(run(s, "INSERT INTO t VALUES (1)").commandTag()).isEqualTo("INSERT 0 1");
    assertThat(rows(s, "SELECT id FROM t")).containsExactly(List.of(1));
    run(s, "BEGIN");
    run(s, "INSERT INTO t VALUES (2)");
    kv.failCommits.set(1);
    assertThatThrownBy(() -> run(s, "COMMIT")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("40001"));
    assertThat(s.transactionStatus()).isEqualTo(SqlSession.TransactionStatus.IDLE);
    assertThat(rows(s, "SELECT id FROM t")).containsExactly(List.of(1));
  }

  @Test
  void cancelStopsARunningStatementWith57014() throws Exception {
    FaultyKv kv = new FaultyKv();
    Engine engine = new Engine(kv);
    SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(s, "CREATE TABLE t (id INT PRIMARY KEY, v INT)");
    CountDownLatch started = new CountDownLatch(1);
    kv.blockScans = started;
    Thread canceller = new Thread(() -> {
      try {
        started.await();
        s.cancel();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    canceller.start();
    assertThatThrownBy(() -> run(s, "SELECT v FROM t WHERE v = 3")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("57014"));
    canceller.join();
    kv.blockScans = null;
    assertThat(rows(s, "SELECT count(*) FROM t")).containsExactly(List.of(0L));
  }

  @Test
  void preparedPointQueryPlansOnceAndDdlInvalidates() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    SqlSession a = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    SqlSession b = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(a, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)");
    run(b, "INSERT INTO t VALUES (1, 'one')");
    var p = a.prepare(a.parse("SELECT v FROM t WHERE id + 0 = $1").get(0), List.of());
    long before = engine.planner().plansBuilt();
    for (int i = 0; i < 5; i++) {
      assertThat(a.execute(p, List.of(1)).rows().next()[0]).isEqualTo("one");
      assertThat(rows(b, "SELECT v FROM t WHERE id + 0 = $1", 1)).containsExactly(List.of("one"));
      // a primary-key point query takes the fast path and never reaches the planner
      assertThat(rows(b, "SELECT v FROM t WHERE id = $1", 1)).containsExactly(List.of("one"));
    }
    assertThat(engine.planner().plansBuilt()).isEqualTo(before);
    run(b, "CREATE TABLE other (x INT)");
    assertThat(a.execute(p, List.of(1)).rows().next()[0]).isEqualTo("one");
    assertThat(engine.planner().plansBuilt()).isEqualTo(before + 1);
  }

  private static List<List<Object>> rowsOf(StatementResult r) {
    List<List<Object>> out = new ArrayList<>();
    for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
      out.add(Arrays.asList(it.next()));
    }
    return out;
  }

  @Test
  void preparedPointQueryWithParameterNeitherParsesNorPlansAgain() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(s, "CREATE TABLE bench_kv (id BIGINT PRIMARY KEY, v1 VARCHAR(20), v2 NUMERIC(10, 2))");
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      values.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'v").append(i).append("', ")
          .append(i).append(".5)");
    }
    run(s, "INSERT INTO bench_kv VALUES " + values);
    var p = s.prepare(s.parse("SELECT v1, v2 FROM bench_kv WHERE id = $1").get(0), List.of());
    // the same columns and types (typmods included) as the planner path
    var viaPlanner = s.prepare(s.parse("SELECT v1, v2 FROM bench_kv WHERE id + 0 = $1").get(0), List.of());
    assertThat(p.columns()).isEqualTo(viaPlanner.columns());
    assertThat(p.parameterTypes()).isEqualTo(viaPlanner.parameterTypes());
    StatementResult first = s.execute(p, List.of(7L));
    assertThat(first.columns()).isEqualTo(s.execute(viaPlanner, List.of(7L)).columns());
    assertThat(rowsOf(first)).isEqualTo(rowsOf(s.execute(viaPlanner, List.of(7L))));
    long planned = engine.statementsPlanned.get();
    long built = engine.planner().plansBuilt();
    for (int i = 0; i < 100; i++) {
      Object key = i % 2 == 0 ? (Object) (long) i : Integer.toString(i); // binary and text parameters
      List<List<Object>> r = rowsOf(s.execute(p, List.of(key)));
      assertThat(r).containsExactly(List.of("v" + i, new java.math.BigDecimal(i + ".50")));
    }
    assertThat(s.execute(p, List.of(5000L)).rows().hasNext()).isFalse();
    assertThat(s.execute(p, java.util.Collections.singletonList(null)).rows().hasNext()).isFalse();
    assertThat(engine.statementsPlanned.get()).isEqualTo(planned); // no parse, no plan
    assertThat(engine.planner().plansBuilt()).isEqualTo(built);

    // a DDL (on this very table) plans it again, once, and it still reads the right rows
    run(s, "CREATE INDEX bench_kv_v1 ON bench_kv (v1)");
    run(s, "INSERT INTO bench_kv VALUES (1000, 'new', 1)");
    long afterDdl = engine.statementsPlanned.get();
    assertThat(rowsOf(s.execute(p, List.of(1000L)))).containsExactly(List.of("new", new java.math.BigDecimal("1.00")));
    assertThat(engine.statementsPlanned.get()).isEqualTo(afterDdl + 1);
    assertThat(rowsOf(s.execute(p, List.of(42L)))).containsExactly(List.of("v42", new java.math.BigDecimal("42.50")));
    assertThat(engine.statementsPlanned.get()).isEqualTo(afterDdl + 1);

    // a dropped table is reported, not served from the old plan
    run(s, "DROP TABLE bench_kv");
    assertThatThrownBy(() -> s.execute(p, List.of(1L)))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
  }

  @Test
  void preparedPointQueryOnCompositeKeyWithTwoParameters() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(s, "CREATE TABLE t2 (a INT, b TEXT, v TEXT, PRIMARY KEY (a, b))");
    run(s, "INSERT INTO t2 VALUES (1, 'x', 'one-x'), (1, 'y', 'one-y'), (2, 'x', 'two-x')");
    var p = s.prepare(s.parse("SELECT * FROM t2 WHERE b = $2 AND t2.a = $1").get(0), List.of());
    var viaPlanner = s.prepare(s.parse("SELECT * FROM t2 WHERE b = $2 AND a + 0 = $1").get(0), List.of());
    assertThat(p.columns()).isEqualTo(viaPlanner.columns());
    assertThat(rowsOf(s.execute(p, List.of(1, "y")))).containsExactly(List.of(1, "y", "one-y"));
    long planned = engine.statementsPlanned.get();
    long built = engine.planner().plansBuilt();
    assertThat(rowsOf(s.execute(p, List.of("2", "x")))).containsExactly(List.of(2, "x", "two-x"));
    assertThat(rowsOf(s.execute(p, List.of(1, "x")))).containsExactly(List.of(1, "x", "one-x"));
    assertThat(rowsOf(s.execute(p, List.of(2, "y")))).isEmpty();
    assertThat(engine.statementsPlanned.get()).isEqualTo(planned);
    assertThat(engine.planner().plansBuilt()).isEqualTo(built);
  }

  @Test
  void preparedPointQueryRejectsBadParametersAsBefore() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(s, "CREATE TABLE k (id BIGINT PRIMARY KEY, i INT, v TEXT)");
    run(s, "INSERT INTO k VALUES (1, 1, 'one')");
    for (String sql : List.of("SELECT v FROM k WHERE id = $1", "SELECT v FROM k WHERE id + 0 = $1")) {
      var p = s.prepare(s.parse(sql).get(0), List.of());
      for (int round = 0; round < 2; round++) { // first (planning) execution and a cached one
        assertThatThrownBy(() -> s.execute(p, List.of("abc")))
            .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"));
        assertThatThrownBy(() -> s.execute(p, List.of("99999999999999999999")))
            .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"));
        assertThat(rowsOf(s.execute(p, List.of("1")))).containsExactly(List.of("one"));
      }
    }
    var pi = s.prepare(s.parse("SELECT v FROM k WHERE id = $1 AND i = $2").get(0), List.of());
    assertThatThrownBy(() -> s.execute(pi, List.of(1, "3000000000")))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"));
  }

  @Test
  void keyRangesAndIndexesNarrowWhatIsRead() throws Exception {
    FaultyKv kv = new FaultyKv();
    Engine engine = new Engine(kv);
    SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(s, "CREATE TABLE t (a INT, b INT, c TEXT, PRIMARY KEY (a, b))");
    run(s, "CREATE INDEX t_c ON t (c)");
    run(s, "CREATE TABLE u (id INT PRIMARY KEY, email TEXT UNIQUE)");
    StringBuilder values = new StringBuilder();
    StringBuilder uvalues = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      values.append(i == 0 ? "" : ", ").append("(").append(i / 10).append(", ").append(i % 10).append(", 'c")
          .append(i % 7).append("')");
      uvalues.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'e").append(i).append("')");
    }
    run(s, "INSERT INTO t VALUES " + values);
    run(s, "INSERT INTO u VALUES " + uvalues);
    kv.tableKeysScanned.set(0);
    assertThat(rows(s, "SELECT count(*) FROM t WHERE a = 3")).containsExactly(List.of(10L));
    assertThat(kv.tableKeysScanned.get()).isEqualTo(10);
    kv.tableKeysScanned.set(0);
    assertThat(rows(s, "SELECT count(*) FROM t WHERE a = 3 AND b >= 4 AND b < 7")).containsExactly(List.of(3L));
    assertThat(kv.tableKeysScanned.get()).isLessThanOrEqualTo(4);
    kv.tableKeysScanned.set(0);
    assertThat(rows(s, "SELECT count(*) FROM t WHERE a BETWEEN 2 AND 4")).containsExactly(List.of(30L));
    assertThat(kv.tableKeysScanned.get()).isEqualTo(30);
    kv.tableKeysScanned.set(0);
    assertThat(rows(s, "SELECT count(*) FROM t WHERE c = 'c3'")).containsExactly(List.of(14L));
    assertThat(kv.tableKeysScanned.get()).isEqualTo(14);
    kv.tableKeysScanned.set(0);
    assertThat(rows(s, "SELECT id FROM u WHERE email = $1", "e42")).containsExactly(List.of(42));
    assertThat(kv.tableKeysScanned.get()).isEqualTo(1);
    kv.tableKeysScanned.set(0);
    assertThat(rows(s, "SELECT email FROM u WHERE id = 42")).containsExactly(List.of("e42"));
    assertThat(kv.tableKeysScanned.get()).isZero();
    assertThat(rows(s, "SELECT count(*) FROM t WHERE b = 3")).containsExactly(List.of(10L));
  }

  @Test
  void sessionsOnManyThreadsShareOneEngine() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    SqlSession setup = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(setup, "CREATE TABLE c (id INT PRIMARY KEY, w INT, v TEXT)");
    int threads = 4;
    int each = 40;
    List<Thread> ts = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      int w = t;
      Thread th = new Thread(() -> {
        try (SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()))) {
          for (int i = 0; i < each; i++) {
            int id = w * 1000 + i;
            run(s, "INSERT INTO c VALUES ($1, $2, $3)", id, w, "v" + id);
            assertThat(rows(s, "SELECT v FROM c WHERE id = $1", id)).containsExactly(List.of("v" + id));
            assertThat(rows(s, "SELECT count(*) FROM c WHERE w = $1", w)).containsExactly(List.of((long) i + 1));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    assertThat(errors).isEmpty();
    assertThat(rows(setup, "SELECT count(*) FROM c")).containsExactly(List.of((long) threads * each));
  }

  @Test
  void failedBlockRejectsEverythingUntilRollback() throws Exception {
    Engine engine = new Engine(new InMemoryTxnService());
    SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    run(s, "BEGIN");
    assertThatThrownBy(() -> run(s, "SELECT * FROM missing")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("42P01"));
    assertThatThrownBy(() -> run(s, "SHOW application_name")).isInstanceOfSatisfying(SqlException.class,
        e -> assertThat(e.sqlState()).isEqualTo("25P02"));
    assertThat(run(s, "ROLLBACK").commandTag()).isEqualTo("ROLLBACK");
    assertThat(rows(s, "SELECT 1")).containsExactly(List.of(1));
  }
}
