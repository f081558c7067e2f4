package org.troupedb.sql.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SqlException;
import org.troupedb.txn.CommitOutcomeUnknownException;

/** How KV failures reach a client: PostgreSQL's SQLSTATEs, and never a Java exception's text. */
class KvAwaitTest {

  @Test
  void aRangeThatDoesNotAnswerIs58000WithoutJavaText() {
    assertThatThrownBy(() -> Kv.await(CompletableFuture.failedFuture(
            new TimeoutException("Ask timed out on [EntityRef(…Range), 5)] after [10000 ms]")), null))
        .isInstanceOfSatisfying(SqlException.class, e -> {
          assertThat(e.sqlState()).isEqualTo("58000");
          assertThat(e.getMessage()).contains("did not answer in time").doesNotContain("EntityRef", "Exception");
        });
  }

  @Test
  void aCommitOfUnknownOutcomeIs40003() {
    assertThatThrownBy(() -> Kv.await(CompletableFuture.failedFuture(
            new CommitOutcomeUnknownException("result is ambiguous: …", new TimeoutException())), null))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("40003"));
  }

  @Test
  void anythingElseIsAnInternalErrorWhoseDetailStaysInTheLog() {
    assertThatThrownBy(() -> Kv.await(CompletableFuture.failedFuture(
            new IllegalStateException("unexpected reply FooReply[x=1]")), null))
        .isInstanceOfSatisfying(SqlException.class, e -> {
          assertThat(e.sqlState()).isEqualTo("XX000");
          assertThat(e.getMessage()).isEqualTo("internal error");
        });
  }
}
