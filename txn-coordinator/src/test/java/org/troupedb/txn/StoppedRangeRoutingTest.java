package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.txn.TxnCoordinatorTest.await;
import static org.troupedb.txn.TxnCoordinatorTest.k;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeDescriptor;

/**
 * A range that answers "stopped" (a mismatch without a descriptor: a dead letter of a range that
 * stopped, or a range that has no descriptor) on every attempt is re-tried after growing pauses
 * and then fails as unavailable (a timeout: 58000 before the commit point), not within
 * milliseconds as XX000 "cannot route key" — what a range whose recovery failed at once (an open
 * journal circuit breaker) looked like during moves (ClusterRebalanceIT, 2026-12-07).
 */
class StoppedRangeRoutingTest extends SharedNodeTest {

  @Test
  void aRangeThatStaysStoppedFailsAsUnavailableAfterPausingBetweenAttempts() throws Exception {
    RangeClient client = new RangeClient(node.system, node.clock);
    await(client.refresh());
    // A range id no split ever created: sharding starts it, it recovers with no descriptor and
    // answers every request with a mismatch that names no range, as a stopped range's letters do.
    client.learn(List.of(new RangeDescriptor(987_654, k("stopped/"), k("stopped0"), 0)));
    byte[] key = k("stopped/a");

    long t0 = System.nanoTime();
    CompletableFuture<RangeClient.Routed> sent = client.send(key,
        r -> new RangeActor.Get(key, UUID.randomUUID(), node.clock.now(), r)).toCompletableFuture();
    assertThatThrownBy(sent::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("did not run again");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    // 20, 40, … ms doubling up to 1 s between the attempts: about 4 s in all (no upper bound
    // asserted: the machine is shared).
    assertThat(took).as("pauses between the attempts").isGreaterThan(Duration.ofSeconds(2));
  }
}
