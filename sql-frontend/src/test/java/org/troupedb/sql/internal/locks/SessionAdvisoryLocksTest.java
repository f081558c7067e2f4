package org.troupedb.sql.internal.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.locks.AdvisoryLocks.Key;

/** The advisory lock table and a session's holdings, without a node (AdvisoryLockIT runs them over pgwire). */
class SessionAdvisoryLocksTest {
  private final AdvisoryLocks table = new AdvisoryLocks();

  private SessionAdvisoryLocks session(AtomicBoolean cancel, long lockTimeoutMillis) {
    return new SessionAdvisoryLocks(table, cancel, () -> lockTimeoutMillis);
  }

  @Test
  void countsModesScopesAndKeySpaces() throws Exception {
    SessionAdvisoryLocks a = session(new AtomicBoolean(), 0);
    SessionAdvisoryLocks b = session(new AtomicBoolean(), 0);
    assertThat(a.lock(Key.of(1), false, false, true)).isTrue();
    assertThat(a.lock(Key.of(1), false, false, false)).isTrue(); // re-entrant
    assertThat(b.lock(Key.of(1), false, false, false)).isFalse();
    assertThat(b.lock(Key.of(0, 1), false, false, false)).isTrue(); // the int4 pair is another key
    assertThat(a.unlock(Key.of(1), false)).isTrue();
    assertThat(b.lock(Key.of(1), true, false, false)).isFalse(); // still held once, exclusively
    assertThat(a.unlock(Key.of(1), false)).isTrue();
    assertThat(a.unlock(Key.of(1), false)).isFalse();
    assertThat(b.lock(Key.of(1), true, false, false)).isTrue();
    assertThat(a.lock(Key.of(1), true, false, false)).isTrue(); // shared with shared
    assertThat(a.lock(Key.of(1), false, false, false)).isFalse(); // exclusive against b's share
    assertThat(a.lock(Key.of(2), false, true, false)).isTrue();
    assertThat(a.unlock(Key.of(2), false)).isFalse(); // transaction-scoped: no unlock
    assertThat(b.lock(Key.of(2), false, false, false)).isFalse();
    a.endTransaction();
    assertThat(b.lock(Key.of(2), false, false, false)).isTrue();
    a.close();
    b.close();
    assertThat(table.heldKeys()).isZero();
  }

  @Test
  void aWaiterGetsTheLockWhenReleasedAndStopsOnCancelOrTimeout() throws Exception {
    SessionAdvisoryLocks a = session(new AtomicBoolean(), 0);
    AtomicBoolean cancel = new AtomicBoolean();
    SessionAdvisoryLocks b = session(cancel, 0);
    a.lock(Key.of(7), false, false, true);
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        return b.lock(Key.of(7), false, false, true);
      } catch (SqlException e) {
        throw new RuntimeException(e);
      }
    });
    assertThatThrownBy(() -> waiter.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    a.close(); // a session's end releases its locks
    assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();

    SessionAdvisoryLocks c = session(new AtomicBoolean(), 50);
    assertThatThrownBy(() -> c.lock(Key.of(7), false, false, true))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("55P03"));
    SessionAdvisoryLocks d = session(cancel, 0);
    cancel.set(true);
    assertThatThrownBy(() -> d.lock(Key.of(7), false, false, true))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
    b.close();
    assertThat(table.heldKeys()).isZero();
  }
}
