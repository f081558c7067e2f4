package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.Intent;
import org.troupedb.range.TxnMeta;

/**
 * {@link ConflictWaiter} over a stand-in for the ranges: the holder of an intent stays alive until
 * the test lets it go, so each outcome (wake-up, lock timeout, NOWAIT, SKIP LOCKED, push abort,
 * lock-wait-timeout) is chosen by the test, not by timing.
 */
class ConflictWaiterTest {
  private static final Intent HELD = new Intent(new byte[] {7},
      new TxnMeta(UUID.randomUUID(), new byte[] {7}, new Timestamp(1, 0), new Timestamp(1, 0), 1, 0), new byte[] {1});

  /** The holder stays PENDING through every push; a wait ends when the test says, or after its bound. */
  private static final class AliveHolder extends IntentResolver {
    final AtomicInteger waits = new AtomicInteger();
    final AtomicInteger pushes = new AtomicInteger();
    volatile CompletableFuture<Boolean> wake; // null: every wait times out after its bound

    AliveHolder() {
      super(null);
    }

    @Override
    CompletionStage<List<Intent>> clear(List<Intent> intents, int pusherPriority) {
      pushes.incrementAndGet();
      return CompletableFuture.completedFuture(intents);
    }

    @Override
    CompletionStage<Boolean> waitFor(Intent in, Duration wait) {
      waits.incrementAndGet();
      CompletableFuture<Boolean> w = wake;
      return w != null ? w : CompletableFuture.supplyAsync(() -> false,
          CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  private final AliveHolder holder = new AliveHolder();
  private final TxnHeartbeatTest.Recorder node = new TxnHeartbeatTest.Recorder();
  private final TxnHeartbeat heartbeat = new TxnHeartbeat(UUID.randomUUID(), node);
  private final AtomicReference<Txn.ReadLock> readLock = new AtomicReference<>(Txn.ReadLock.NONE);

  private ConflictWaiter waiter(Duration conflictWait, int maxWaitRounds) {
    return new ConflictWaiter(holder, heartbeat, 5, conflictWait, maxWaitRounds, readLock::get, () -> TxnState.PENDING);
  }

  private static CompletionStage<String> retried() {
    return CompletableFuture.completedFuture("retried");
  }

  private static Throwable failure(CompletionStage<?> stage) throws Exception {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the stage to fail");
  }

  @Test
  void aWaiterIsWokenWhenTheHolderLetsGoAndThenRetries() throws Exception {
    holder.wake = new CompletableFuture<>();
    heartbeat.anchorIfUnset(new byte[] {1});
    heartbeat.start();
    CompletableFuture<String> result = waiter(Duration.ofSeconds(30), 10)
        .afterConflict(List.of(HELD), 0, ConflictWaiterTest::retried).toCompletableFuture();
    assertThat(result).as("waits while the holder is alive").isNotDone();
    assertThat(heartbeat.waiting()).as("the record is told this transaction waits").isTrue();
    holder.wake.complete(true);
    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("retried");
    assertThat(heartbeat.waiting()).isFalse();
    assertThat(node.calls()).containsExactly("start", "beat true", "beat false");
    assertThat(holder.waits).hasValue(1);
  }

  @Test
  void aLockTimeoutEndsTheWaitWith55P03() throws Exception {
    ConflictWaiter w = waiter(Duration.ofSeconds(30), 1000);
    w.setLockTimeout(200);
    long start = System.nanoTime();
    Throwable err = failure(w.afterConflict(List.of(HELD), 0, ConflictWaiterTest::retried));
    assertThat(err).isInstanceOf(LockTimeoutException.class);
    assertThat((System.nanoTime() - start) / 1_000_000).as("not before the timeout").isGreaterThanOrEqualTo(200);
    assertThat(holder.waits).as("each round ends no later than the timeout, not after conflict-wait").hasValue(1);
  }

  @Test
  void lockWaitTimeoutEndsTheWaitWithARetryErrorAfterItsRounds() throws Exception {
    Throwable err = failure(waiter(Duration.ofMillis(20), 3)
        .afterConflict(List.of(HELD), 0, ConflictWaiterTest::retried));
    assertThat(err).isInstanceOf(TxnRetryException.class).hasMessageContaining("lock-wait-timeout");
    assertThat(holder.waits).hasValue(3);
    assertThat(holder.pushes).as("one push before waiting, one after each round").hasValue(4);
  }

  @Test
  void aTransactionAbortedByAPushWhileWaitingStopsWith40001() throws Exception {
    heartbeat.markAbortedByPush();
    Throwable err = failure(waiter(Duration.ofMillis(20), 100)
        .afterConflict(List.of(HELD), 0, ConflictWaiterTest::retried));
    assertThat(err).isInstanceOf(TxnRetryException.class).hasMessageContaining("deadlock");
    assertThat(holder.waits).hasValue(1);
  }

  @Test
  void nowaitFailsAtOnceAndSkipLockedSkips() throws Exception {
    readLock.set(Txn.ReadLock.EXCLUSIVE_NOWAIT);
    assertThat(failure(waiter(Duration.ofSeconds(30), 10)
        .afterConflict(List.of(HELD), 0, ConflictWaiterTest::retried))).isInstanceOf(LockNotAvailableException.class);
    readLock.set(Txn.ReadLock.SHARED_SKIP_LOCKED);
    assertThat(waiter(Duration.ofSeconds(30), 10).afterConflict(List.of(HELD), 0, ConflictWaiterTest::retried,
        () -> CompletableFuture.completedFuture("skipped")).toCompletableFuture().get(30, TimeUnit.SECONDS))
        .isEqualTo("skipped");
    assertThat(holder.waits).as("neither waits").hasValue(0);
  }

  @Test
  void aRequestThatKeepsMeetingIntentsGivesUp() {
    assertThatThrownBy(() -> waiter(Duration.ofSeconds(30), 10)
        .afterConflict(List.of(HELD), ConflictWaiter.MAX_CONFLICT_ATTEMPTS, ConflictWaiterTest::retried))
        .isInstanceOf(TxnRetryException.class).hasMessageContaining("still in the way");
  }
}
