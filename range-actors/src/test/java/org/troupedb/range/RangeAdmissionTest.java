package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.range.RangeLifecycle.Admission.HANDLE;
import static org.troupedb.range.RangeLifecycle.Admission.STASH;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeLifecycle.Phase;
import org.troupedb.range.RangeLifecycle.Signal;

/**
 * What a command meets in each lifecycle phase ({@link RangeLifecycle#admit},
 * {@link RangeLifecycle#answersLocally}): handled, stashed, or (for a local read) sent to the
 * mailbox instead; the table in {@link RangeLifecycle}'s class comment.
 */
class RangeAdmissionTest {
  static final Timestamp TS = new Timestamp(100, 0);
  static final UUID WRITER = UUID.randomUUID();

  static final Command GET_B = new RangeActor.Get(k("b"), UUID.randomUUID(), TS, null);
  static final Command GET_X = new RangeActor.Get(k("x"), UUID.randomUUID(), TS, null);
  static final Command SCAN_A_C = new RangeActor.Scan(k("a"), k("c"), UUID.randomUUID(), TS, 0, null);
  static final Command SCAN_C_E = new RangeActor.Scan(k("c"), k("e"), UUID.randomUUID(), TS, 0, null);
  static final Command WRITE_X = new RangeActor.Write(txn(UUID.randomUUID()),
      List.of(new WriteOp(WriteOp.Kind.PUT, k("x"), k("1"))), false, false, null);
  static final Command PUSH = new RangeActor.PushTxn(txn(UUID.randomUUID()), 0, null);
  static final Command DIRECTORY = new RangeActor.GetDirectory(null);
  static final Command SPLIT_DONE = new RangeActor.ChunkAcked(1, 0, 0, 1, true, null);
  static final Command ABORT_DONE = new RangeActor.TransferAbortDone(1, false, null);

  /** A group-commit queue holding one write of key b by WRITER (nothing queued: empty). */
  private static RangeGroupCommit queue(boolean withWrite) {
    RangeGroupCommit q = new RangeGroupCommit();
    if (withWrite) {
      q.add(new RangeActor.ValuesCommitted(TS, List.of()), List.of(new WriteOp(WriteOp.Kind.PUT, k("b"), k("1"))),
          TS, null);
    }
    return q;
  }

  /** A group commit whose drained batch (a write of key b) is in flight; a write of key d queued after it. */
  private static RangeGroupCommit flushingB(boolean thenQueuedD) {
    RangeGroupCommit q = queue(true);
    q.drain();
    if (thenQueuedD) {
      q.add(new RangeActor.ValuesCommitted(TS, List.of()), List.of(new WriteOp(WriteOp.Kind.PUT, k("d"), k("1"))),
          TS, null);
    }
    return q;
  }

  private static RangeLifecycle in(Phase phase) {
    RangeLifecycle l = new RangeLifecycle();
    switch (phase) {
      case RECOVERING -> { }
      case SERVING -> l.on(Signal.RECOVERED);
      case WRITING -> {
        l.on(Signal.RECOVERED);
        l.on(Signal.WRITE_HANDLED);
      }
      case FLUSHING -> {
        l.on(Signal.RECOVERED);
        l.on(Signal.FLUSH_STARTED);
        l.on(Signal.EVENT_APPLIED); // the batch's own events
      }
      case SPLITTING -> {
        l.on(Signal.RECOVERED);
        l.on(Signal.SPLIT_STARTED);
      }
    }
    assertThat(l.phase()).isEqualTo(phase);
    return l;
  }

  @Test
  void nothingQueuedAndNoSplitEveryCommandIsHandled() {
    for (Phase p : List.of(Phase.SERVING, Phase.WRITING, Phase.FLUSHING)) {
      RangeLifecycle l = in(p);
      for (Command c : List.of(GET_B, SCAN_A_C, WRITE_X, PUSH, DIRECTORY, RangeActor.Flush.INSTANCE,
          RangeActor.Stop.INSTANCE, RangeActor.IdleCheck.INSTANCE)) {
        assertThat(l.admit(c, queue(false))).as("%s in %s", c, p).isEqualTo(HANDLE);
      }
    }
  }

  @Test
  void queuedWritesHoldBackWhatTouchesTheirKeysAndEveryMutationButNotTheFlush() {
    for (Phase p : List.of(Phase.SERVING, Phase.WRITING, Phase.FLUSHING)) {
      RangeLifecycle l = in(p);
      RangeGroupCommit q = queue(true);
      assertThat(l.admit(GET_B, q)).as("a read of a queued key, %s", p).isEqualTo(STASH);
      assertThat(l.admit(SCAN_A_C, q)).as("a scan over a queued key").isEqualTo(STASH);
      assertThat(l.admit(GET_X, q)).as("a read elsewhere").isEqualTo(HANDLE);
      assertThat(l.admit(SCAN_C_E, q)).as("a scan elsewhere").isEqualTo(HANDLE);
      assertThat(l.admit(DIRECTORY, q)).as("the directory").isEqualTo(HANDLE);
      assertThat(l.admit(WRITE_X, q)).as("a write of another key by another transaction").isEqualTo(HANDLE);
      assertThat(l.admit(PUSH, q)).as("any other mutation").isEqualTo(STASH);
      assertThat(l.admit(RangeActor.Stop.INSTANCE, q)).as("stop waits for the flush").isEqualTo(STASH);
      assertThat(l.admit(RangeActor.Flush.INSTANCE, q)).as("the flush itself").isEqualTo(HANDLE);
    }
  }

  @Test
  void aSplitStashesEverythingButItsOwnCompletion() {
    RangeLifecycle l = in(Phase.SPLITTING);
    for (Command c : List.of(GET_B, GET_X, SCAN_C_E, WRITE_X, PUSH, DIRECTORY, RangeActor.Flush.INSTANCE,
        RangeActor.Stop.INSTANCE, RangeActor.GcTick.INSTANCE, RangeActor.IdleCheck.INSTANCE)) {
      assertThat(l.admit(c, queue(false))).as("%s while splitting", c).isEqualTo(STASH);
    }
    assertThat(l.admit(SPLIT_DONE, queue(false))).isEqualTo(HANDLE);
    assertThat(l.admit(SPLIT_DONE, queue(true))).as("not even queued writes hold it back").isEqualTo(HANDLE);
    assertThat(l.admit(ABORT_DONE, queue(true))).isEqualTo(HANDLE);
  }

  @Test
  void readsAreAnsweredLocallyOnlyWhileServingAndNotLatched() {
    assertThat(in(Phase.SERVING).answersLocally(GET_B, queue(false))).isTrue();
    assertThat(in(Phase.SERVING).answersLocally(SCAN_A_C, queue(false))).isTrue();
    assertThat(in(Phase.SERVING).answersLocally(GET_B, queue(true))).as("latched").isFalse();
    assertThat(in(Phase.SERVING).answersLocally(GET_X, queue(true))).as("not latched").isTrue();
    assertThat(in(Phase.SERVING).answersLocally(WRITE_X, queue(false))).as("not a read").isFalse();
    for (Phase p : List.of(Phase.RECOVERING, Phase.WRITING, Phase.SPLITTING)) {
      assertThat(in(p).answersLocally(GET_X, queue(false))).as("Get in %s", p).isFalse();
      assertThat(in(p).answersLocally(SCAN_C_E, queue(false))).as("Scan in %s", p).isFalse();
    }
  }

  @Test
  void whileABatchIsFlushedReadsOfOtherKeysAreAnsweredLocally() {
    RangeLifecycle l = in(Phase.FLUSHING);
    RangeGroupCommit q = flushingB(false);
    assertThat(q.isEmpty()).as("drained").isTrue();
    assertThat(l.answersLocally(GET_X, q)).as("a key outside the batch").isTrue();
    assertThat(l.answersLocally(SCAN_C_E, q)).as("a scan beside the batch").isTrue();
    assertThat(l.answersLocally(GET_B, q)).as("a key of the batch").isFalse();
    assertThat(l.answersLocally(SCAN_A_C, q)).as("a scan over the batch").isFalse();
    assertThat(l.localReadRefusal(GET_B, q)).isEqualTo(RangeStats.DeclinedRead.FLUSHING);
    assertThat(l.admit(GET_B, q)).as("a mailbox command after the flush: the batch's latches are no queue's")
        .isEqualTo(HANDLE);
    RangeGroupCommit both = flushingB(true);
    assertThat(l.localReadRefusal(SCAN_C_E, both)).as("a write queued behind the flush latches too")
        .isEqualTo(RangeStats.DeclinedRead.LATCHED);

    q.flushed();
    l.on(Signal.FLUSH_DURABLE);
    assertThat(l.phase()).isEqualTo(Phase.SERVING);
    assertThat(l.answersLocally(GET_B, q)).as("the batch is durable").isTrue();
    assertThat(q.flushLatched(GET_B)).isFalse();
  }

  @Test
  void aFlushStartsFlushingOnlyWhenItDrainedSomething() {
    assertThat(RangeLifecycle.handled(RangeActor.Flush.INSTANCE, queue(false))).isEqualTo(Signal.READ_HANDLED);
    assertThat(RangeLifecycle.handled(RangeActor.Flush.INSTANCE, flushingB(false))).isEqualTo(Signal.FLUSH_STARTED);
    assertThat(RangeLifecycle.handled(WRITE_X, flushingB(false))).isEqualTo(Signal.WRITE_HANDLED);
  }

  @Test
  void aDeclinedLocalReadSaysWhy() {
    assertThat(in(Phase.SERVING).localReadRefusal(GET_X, queue(true))).isNull();
    assertThat(in(Phase.SERVING).localReadRefusal(GET_B, queue(true))).isEqualTo(RangeStats.DeclinedRead.LATCHED);
    assertThat(in(Phase.RECOVERING).localReadRefusal(GET_X, queue(false))).isEqualTo(RangeStats.DeclinedRead.RECOVERING);
    assertThat(in(Phase.WRITING).localReadRefusal(SCAN_C_E, queue(false))).isEqualTo(RangeStats.DeclinedRead.WRITING);
    assertThat(in(Phase.SPLITTING).localReadRefusal(GET_X, queue(false))).isEqualTo(RangeStats.DeclinedRead.SPLITTING);
  }

  @Test
  void onlyCommandsThatPersistNothingLeaveTheStateDurable() {
    for (Command c : List.of(GET_B, SCAN_A_C, DIRECTORY, RangeActor.GcTick.INSTANCE, RangeActor.IdleCheck.INSTANCE,
        new RangeActor.Refresh(List.of(), WRITER, TS, TS, null), new RangeActor.WaitForTxn(WRITER, k("b"), null))) {
      assertThat(RangeLifecycle.handled(c)).as("%s", c).isEqualTo(Signal.READ_HANDLED);
    }
    for (Command c : List.of(WRITE_X, PUSH, SPLIT_DONE, RangeActor.Stop.INSTANCE,
        new RangeActor.AllocateRangeId(null), new RangeActor.Heartbeat(WRITER, k("b"), false, null))) {
      assertThat(RangeLifecycle.handled(c)).as("%s", c).isEqualTo(Signal.WRITE_HANDLED);
    }
  }

  private static TxnMeta txn(UUID id) {
    return new TxnMeta(id, k("x"), TS, TS, 1, 0);
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
