package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.Test;

class InFlightAsksTest {
  private final AtomicLong now = new AtomicLong(100);
  private final InFlightAsks asks = new InFlightAsks(now::get);

  @Test
  void aDowningFailsTheUnansweredRequestsSentBeforeItAsTimedOutAndNothingElse() {
    CompletableFuture<String> answered = new CompletableFuture<>();
    CompletableFuture<String> lost = new CompletableFuture<>();
    asks.sent(answered);
    asks.sent(lost);
    answered.complete("reply");
    assertThat(asks.size()).as("answered requests are forgotten").isEqualTo(1);

    now.addAndGet(10);
    assertThat(asks.failAll("member x is Down")).isEqualTo(1);
    assertThat(answered).isCompletedWithValue("reply");
    assertThat(lost).isCompletedExceptionally();
    try {
      lost.get();
    } catch (InterruptedException | ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TimeoutException.class).hasMessageContaining("member x is Down");
    }
    assertThat(asks.size()).isZero();

    CompletableFuture<String> later = new CompletableFuture<>();
    now.addAndGet(10);
    asks.sent(later);
    now.addAndGet(-5); // a downing observed before this request was sent
    assertThat(asks.failAll("member y is Down")).isZero();
    assertThat(later).isNotDone();
  }

  @Test
  void theSweepAfterARemovalFailsOnlyWhatWasSentByItsBoundAndIsStillUnanswered() {
    now.set(1_000);
    CompletableFuture<String> lostJustAfter = new CompletableFuture<>();
    CompletableFuture<String> answeredJustAfter = new CompletableFuture<>();
    asks.sent(lostJustAfter);
    asks.sent(answeredJustAfter);
    now.set(1_500);
    CompletableFuture<String> sentLater = new CompletableFuture<>();
    asks.sent(sentLater);
    answeredJustAfter.complete("reply");

    now.set(3_000);
    assertThat(asks.failSentBefore(1_200, "member x is Removed")).isEqualTo(1);
    assertThat(lostJustAfter).isCompletedExceptionally();
    assertThat(answeredJustAfter).isCompletedWithValue("reply");
    assertThat(sentLater).as("sent after the bound: still given its own timeout").isNotDone();
    assertThat(asks.size()).isEqualTo(1);
  }

  @Test
  void aMemberIsLostWhenDownedOrRemovedAfterItsDownNotWhenItLeftGracefully() {
    assertThat(InFlightAsks.lost(new ClusterEvent.MemberDowned(member(MemberStatus.down())))).isTrue();
    assertThat(InFlightAsks.lost(new ClusterEvent.MemberRemoved(member(MemberStatus.removed()), MemberStatus.down())))
        .as("removed after a down").isTrue();
    assertThat(InFlightAsks.lost(new ClusterEvent.MemberRemoved(member(MemberStatus.removed()), MemberStatus.exiting())))
        .as("removed after leaving (a decommission): its shards were handed off").isFalse();
    assertThat(InFlightAsks.lost(new ClusterEvent.MemberExited(member(MemberStatus.exiting())))).isFalse();
    assertThat(InFlightAsks.lost(new ClusterEvent.MemberLeft(member(MemberStatus.leaving())))).isFalse();
  }

  private static Member member(MemberStatus status) {
    UniqueAddress at = new UniqueAddress(new Address("pekko", "troupe", "127.0.0.1", 27104), 1L);
    return new Member(at, 1, status, scala.collection.immutable.Set$.MODULE$.empty(), Version.Zero());
  }
}
