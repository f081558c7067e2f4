package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link TxnHeartbeat} against a recording registry: starts once, stops once, never restarts. */
class TxnHeartbeatTest {

  /** Records what the heartbeat asked of the node, in order. */
  static final class Recorder implements TxnHeartbeat.Registry {
    final List<String> calls = new ArrayList<>();

    @Override
    public synchronized void start(TxnHeartbeat hb) {
      calls.add("start");
    }

    @Override
    public synchronized void stop(TxnHeartbeat hb) {
      calls.add("stop");
    }

    @Override
    public synchronized void beat(TxnHeartbeat hb, boolean waiting) {
      calls.add("beat " + waiting);
    }

    synchronized List<String> calls() {
      return List.copyOf(calls);
    }
  }

  private final Recorder node = new Recorder();
  private final TxnHeartbeat hb = new TxnHeartbeat(UUID.randomUUID(), node);

  @Test
  void startsOnceAndStopsOnceAndNeverStartsAgain() {
    hb.start();
    hb.start();
    assertThat(hb.running()).isTrue();
    hb.stop();
    hb.stop();
    hb.start(); // a write's late continuation after commit or rollback must not revive it
    assertThat(hb.running()).isFalse();
    assertThat(node.calls()).containsExactly("start", "stop");
  }

  @Test
  void aHeartbeatNeverStartedHasNothingToStop() {
    hb.stop();
    assertThat(node.calls()).isEmpty();
    assertThat(hb.running()).isFalse();
  }

  @Test
  void waitingIsAnnouncedOnlyForARecordThatIsHeartbeated() {
    hb.announceWaiting(true);
    assertThat(hb.waiting()).isTrue();
    assertThat(node.calls()).as("no record yet: nothing to tell").isEmpty();
    hb.anchorIfUnset(new byte[] {1});
    hb.start();
    hb.announceWaiting(true);
    hb.announceWaiting(false);
    assertThat(hb.waiting()).isFalse();
    assertThat(node.calls()).containsExactly("start", "beat true", "beat false");
  }

  @Test
  void theFirstAnchorStays() {
    hb.anchorIfUnset(new byte[] {1});
    hb.anchorIfUnset(new byte[] {2});
    assertThat(hb.anchorKey()).containsExactly(1);
  }

  @Test
  void anAbortByAPushIsRemembered() {
    assertThat(hb.abortedByPush()).isFalse();
    hb.markAbortedByPush();
    assertThat(hb.abortedByPush()).isTrue();
  }
}
