package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's advisory locks between sessions of one node: a blocked {@code pg_advisory_lock}
 * waits until the holder unlocks; locks are re-entrant and counted; try-variants answer at once;
 * transaction-scoped locks go at COMMIT/ROLLBACK (and at the end of an implicit transaction);
 * session locks survive a rollback and go when the session disconnects; a wait ends with 57014 on
 * cancel or statement_timeout and 55P03 on lock_timeout; the two key spaces (bigint, int4 pair)
 * are distinct. Each expectation is PostgreSQL 15's (advisory.sql in the compat corpus checks the
 * single-session ones against a real PostgreSQL).
 */
class AdvisoryLockIT extends InProcessNodeFixture {
  private static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void blockedLockWaitsForTheUnlock() throws Exception {
    try (Connection a = connect(true); Connection b = connect(true);
        Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
      assertThat(one(sa, "SELECT pg_advisory_lock(101)")).isEmpty();
      assertThat(one(sb, "SELECT pg_try_advisory_lock(101)")).isEqualTo("f");
      CountDownLatch started = new CountDownLatch(1);
      Future<String> waiter = pool.submit(() -> {
        started.countDown();
        return one(sb, "SELECT pg_advisory_lock(101)");
      });
      started.await();
      assertThatThrownBy(() -> waiter.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      assertThat(one(sa, "SELECT pg_advisory_unlock(101)")).isEqualTo("t");
      assertThat(waiter.get(30, TimeUnit.SECONDS)).isEmpty();
      assertThat(one(sa, "SELECT pg_try_advisory_lock(101)")).isEqualTo("f");
      assertThat(one(sb, "SELECT pg_advisory_unlock(101)")).isEqualTo("t");
      assertThat(one(sa, "SELECT pg_try_advisory_lock(101)")).isEqualTo("t");
      assertThat(one(sa, "SELECT pg_advisory_unlock_all()")).isEmpty();
    }
  }

  @Test
  void locksAreCountedAndUnlockOfALockNotHeldIsFalse() throws Exception {
    try (Connection a = connect(true); Connection b = connect(true);
        Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
      one(sa, "SELECT pg_advisory_lock(202)");
      one(sa, "SELECT pg_advisory_lock(202)");
      assertThat(one(sa, "SELECT pg_advisory_unlock(202)")).isEqualTo("t");
      assertThat(one(sb, "SELECT pg_try_advisory_lock(202)")).isEqualTo("f"); // still held once
      assertThat(one(sa, "SELECT pg_advisory_unlock(202)")).isEqualTo("t");
      assertThat(one(sa, "SELECT pg_advisory_unlock(202)")).isEqualTo("f");
      assertThat(one(sb, "SELECT pg_try_advisory_lock(202)")).isEqualTo("t");
      assertThat(one(sa, "SELECT pg_advisory_unlock(202)")).isEqualTo("f"); // b's lock is not a's
      // the int4 pair (0, 202) is another lock than the bigint 202
      assertThat(one(sa, "SELECT pg_try_advisory_lock(0, 202)")).isEqualTo("t");
      // shared locks share; an exclusive request conflicts with them
      assertThat(one(sa, "SELECT pg_try_advisory_lock_shared(303)")).isEqualTo("t");
      assertThat(one(sb, "SELECT pg_try_advisory_lock_shared(303)")).isEqualTo("t");
      assertThat(one(sb, "SELECT pg_try_advisory_lock(303)")).isEqualTo("f");
      assertThat(one(sa, "SELECT pg_advisory_unlock_shared(303)")).isEqualTo("t");
      assertThat(one(sb, "SELECT pg_try_advisory_lock(303)")).isEqualTo("t"); // only b holds it now
      one(sa, "SELECT pg_advisory_unlock_all()");
      one(sb, "SELECT pg_advisory_unlock_all()");
      assertThat(one(sa, "SELECT pg_try_advisory_lock(303)")).isEqualTo("t");
      assertThat(one(sa, "SELECT pg_advisory_lock(NULL::bigint) IS NULL")).isEqualTo("t"); // strict
      one(sa, "SELECT pg_advisory_unlock_all()");
    }
  }

  @Test
  void transactionLocksGoWithTheTransactionSessionLocksSurviveRollback() throws Exception {
    try (Connection a = connect(false); Connection b = connect(true);
        Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
      assertThat(one(sa, "SELECT pg_try_advisory_xact_lock(404)")).isEqualTo("t");
      assertThat(one(sa, "SELECT pg_advisory_lock(405)")).isEmpty();
      assertThat(one(sb, "SELECT pg_try_advisory_lock(404)")).isEqualTo("f");
      assertThat(one(sa, "SELECT pg_advisory_unlock(404)")).isEqualTo("f"); // a transaction lock cannot be unlocked
      a.rollback();
      assertThat(one(sb, "SELECT pg_try_advisory_lock(404)")).isEqualTo("t");
      assertThat(one(sb, "SELECT pg_try_advisory_lock(405)")).isEqualTo("f"); // the session lock outlived the rollback
      one(sa, "SELECT pg_advisory_xact_lock(406)");
      a.commit();
      assertThat(one(sb, "SELECT pg_try_advisory_lock(406)")).isEqualTo("t");
      a.setAutoCommit(true);
      // an implicit transaction's lock goes with its statement
      assertThat(one(sa, "SELECT pg_try_advisory_xact_lock(407)")).isEqualTo("t");
      assertThat(one(sb, "SELECT pg_try_advisory_lock(407)")).isEqualTo("t");
      one(sa, "SELECT pg_advisory_unlock_all()");
      one(sb, "SELECT pg_advisory_unlock_all()");
    }
  }

  @Test
  void disconnectReleasesTheSessionsLocks() throws Exception {
    try (Connection b = connect(true); Statement sb = b.createStatement()) {
      Connection a = connect(true);
      try (Statement sa = a.createStatement()) {
        one(sa, "SELECT pg_advisory_lock(505)");
        one(sa, "SELECT pg_advisory_lock_shared(506)");
      }
      assertThat(one(sb, "SELECT pg_try_advisory_lock(505)")).isEqualTo("f");
      Future<String> waiter = pool.submit(() -> one(sb, "SELECT pg_advisory_lock(505)"));
      a.close();
      assertThat(waiter.get(30, TimeUnit.SECONDS)).isEmpty();
      assertThat(one(sb, "SELECT pg_try_advisory_lock(506)")).isEqualTo("t");
      one(sb, "SELECT pg_advisory_unlock_all()");
    }
  }

  @Test
  void aWaitEndsOnTimeoutsAndCancel() throws Exception {
    try (Connection a = connect(true); Connection b = connect(true);
        Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
      one(sa, "SELECT pg_advisory_lock(606)");
      sb.execute("SET lock_timeout = '200ms'");
      assertThatThrownBy(() -> one(sb, "SELECT pg_advisory_lock(606)"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
      sb.execute("SET lock_timeout = 0");
      sb.execute("SET statement_timeout = '200ms'");
      assertThatThrownBy(() -> one(sb, "SELECT pg_advisory_lock(606)"))
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
      sb.execute("SET statement_timeout = 0");
      Future<String> waiter = pool.submit(() -> one(sb, "SELECT pg_advisory_lock(606)"));
      assertThatThrownBy(() -> waiter.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      sb.cancel();
      assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("57014"));
      // the session goes on, and its lock was not granted
      assertThat(one(sb, "SELECT pg_try_advisory_lock(606)")).isEqualTo("f");
      one(sa, "SELECT pg_advisory_unlock_all()");
    }
  }
}
