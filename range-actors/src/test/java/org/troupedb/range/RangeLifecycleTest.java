package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.troupedb.range.RangeLifecycle.Phase;
import org.troupedb.range.RangeLifecycle.Signal;

class RangeLifecycleTest {

  @Test
  void servesLocalReadsOnlyOnceRecoveredAndDurable() {
    RangeLifecycle l = new RangeLifecycle();
    assertThat(l.servesLocalReads()).isFalse();
    l.on(Signal.EVENT_APPLIED); // replayed events
    assertThat(l.phase()).isEqualTo(Phase.RECOVERING);
    l.on(Signal.READ_HANDLED);
    assertThat(l.phase()).isEqualTo(Phase.RECOVERING);
    l.on(Signal.RECOVERED);
    assertThat(l.servesLocalReads()).isTrue();
    l.on(Signal.WRITE_HANDLED);
    assertThat(l.phase()).isEqualTo(Phase.WRITING);
    assertThat(l.servesLocalReads()).isFalse();
    l.on(Signal.READ_HANDLED);
    assertThat(l.phase()).isEqualTo(Phase.SERVING);
    l.on(Signal.EVENT_APPLIED);
    assertThat(l.phase()).isEqualTo(Phase.WRITING);
  }

  @Test
  void aFlushServesLocalReadsUntilAnotherWriteAndEndsWhenDurableOrAtTheNextCommand() {
    RangeLifecycle l = new RangeLifecycle();
    l.on(Signal.RECOVERED);
    l.on(Signal.WRITE_HANDLED); // a write queued for the flush
    l.on(Signal.FLUSH_STARTED);
    assertThat(l.phase()).isEqualTo(Phase.FLUSHING);
    l.on(Signal.EVENT_APPLIED); // the batch's events: covered by its latches
    assertThat(l.phase()).isEqualTo(Phase.FLUSHING);
    assertThat(l.servesLocalReads()).isTrue();
    l.on(Signal.FLUSH_DURABLE);
    assertThat(l.phase()).isEqualTo(Phase.SERVING);
    l.on(Signal.FLUSH_DURABLE);
    assertThat(l.phase()).as("a stray durable signal changes nothing").isEqualTo(Phase.SERVING);
    l.on(Signal.WRITE_HANDLED);
    l.on(Signal.FLUSH_DURABLE);
    assertThat(l.phase()).as("no flush in flight: still WRITING").isEqualTo(Phase.WRITING);
    l.on(Signal.FLUSH_STARTED);
    l.on(Signal.WRITE_HANDLED);
    assertThat(l.phase()).isEqualTo(Phase.WRITING);
    l.on(Signal.FLUSH_STARTED);
    l.on(Signal.SPLIT_STARTED);
    assertThat(l.phase()).isEqualTo(Phase.SPLITTING);
  }

  @Test
  void aSplitHoldsUntilItEndsWhateverElseHappens() {
    RangeLifecycle l = new RangeLifecycle();
    l.on(Signal.RECOVERED);
    l.on(Signal.SPLIT_STARTED);
    for (Signal s : new Signal[] {Signal.WRITE_HANDLED, Signal.READ_HANDLED, Signal.EVENT_APPLIED, Signal.RECOVERED,
        Signal.FLUSH_STARTED, Signal.FLUSH_DURABLE}) {
      l.on(s);
      assertThat(l.splitting()).as("after %s", s).isTrue();
      assertThat(l.servesLocalReads()).isFalse();
    }
    l.on(Signal.SPLIT_ENDED);
    assertThat(l.phase()).isEqualTo(Phase.WRITING);
    l.on(Signal.READ_HANDLED);
    assertThat(l.servesLocalReads()).isTrue();
  }

  @Test
  void everyPhaseHasAnAnswerForEverySignal() {
    for (Phase p : Phase.values()) {
      for (Signal s : Signal.values()) {
        assertThat(RangeLifecycle.next(p, s)).as("%s on %s", p, s).isNotNull();
      }
    }
    assertThat(RangeLifecycle.next(Phase.SERVING, Signal.SPLIT_ENDED)).isEqualTo(Phase.SERVING);
  }
}
