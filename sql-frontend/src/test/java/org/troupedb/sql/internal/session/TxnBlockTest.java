package org.troupedb.sql.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession.TransactionStatus;
import org.troupedb.sql.internal.session.TxnBlock.Event;
import org.troupedb.sql.internal.session.TxnBlock.State;

/** The transaction block's state table, one transition at a time. */
class TxnBlockTest {
  private static TxnBlock in(State state) {
    TxnBlock b = new TxnBlock();
    switch (state) {
      case IDLE -> { }
      case OPEN -> b.on(Event.BEGIN);
      case FAILED -> {
        b.on(Event.BEGIN);
        b.on(Event.ERROR);
      }
      case RELEASED -> {
        b.on(Event.BEGIN);
        b.on(Event.RELEASE_RESTART);
      }
    }
    assertThat(b.state()).isEqualTo(state);
    return b;
  }

  @Test
  void everyStateAndEventGoesWhereTheDiagramSays() {
    State[][] expected = {
        //          BEGIN        ERROR         RELEASE_RESTART  ROLLED_BACK_TO  END
        /* IDLE */ {State.OPEN, State.IDLE, State.IDLE, State.IDLE, State.IDLE},
        /* OPEN */ {State.OPEN, State.FAILED, State.RELEASED, State.OPEN, State.IDLE},
        /* FAILED */ {State.FAILED, State.FAILED, State.FAILED, State.OPEN, State.IDLE},
        /* RELEASED */ {State.RELEASED, State.RELEASED, State.RELEASED, State.RELEASED, State.IDLE},
    };
    for (State from : State.values()) {
      for (Event e : Event.values()) {
        assertThat(in(from).on(e)).as("%s on %s", from, e).isEqualTo(expected[from.ordinal()][e.ordinal()]);
      }
    }
  }

  @Test
  void readyForQueryReportsAReleasedBlockAsInATransaction() {
    assertThat(in(State.IDLE).status()).isEqualTo(TransactionStatus.IDLE);
    assertThat(in(State.OPEN).status()).isEqualTo(TransactionStatus.IN_TRANSACTION);
    assertThat(in(State.FAILED).status()).isEqualTo(TransactionStatus.FAILED);
    assertThat(in(State.RELEASED).status()).isEqualTo(TransactionStatus.IN_TRANSACTION);
  }

  @Test
  void onlyFailedAndReleasedBlocksRefuseStatements() throws SqlException {
    in(State.IDLE).checkRunnable();
    in(State.OPEN).checkRunnable();
    assertThatThrownBy(() -> in(State.FAILED).checkRunnable())
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("25P02"));
    assertThatThrownBy(() -> in(State.RELEASED).checkRunnable())
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("25000"));
  }
}
