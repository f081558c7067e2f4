package org.troupedb.sql.internal.session;

import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession.TransactionStatus;
import org.troupedb.sql.SqlState;

/**
 * The state of a session's transaction block, every state an enum value and every change made by
 * {@link #on}. After CockroachDB's conn_fsm, which also lists its odd state (commit-wait):
 *
 * <pre>
 *            BEGIN                     ERROR
 *   IDLE ─────────────▶ OPEN ──────────────────▶ FAILED
 *     ▲                  │ ▲  ROLLBACK TO SAVEPOINT  │
 *     │                  │ └─────────────────────────┤
 *     │                  │ RELEASE SAVEPOINT         │
 *     │                  ▼ cockroach_restart         │
 *     │               RELEASED                       │
 *     │  END (COMMIT / ROLLBACK, from any state)     │
 *     └──────────────────┴───────────────────────────┘
 * </pre>
 *
 * In RELEASED the transaction is committed but the block is open: only COMMIT or ROLLBACK may
 * follow (25000 otherwise). In FAILED only ROLLBACK [TO SAVEPOINT] or COMMIT (which reports
 * ROLLBACK) may follow (25P02 otherwise). A pair the table does not list leaves the state as it is.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class TxnBlock {
  enum State { IDLE, OPEN, FAILED, RELEASED }

  enum Event {
    /** BEGIN / START TRANSACTION. */
    BEGIN,
    /** A statement in the block failed. */
    ERROR,
    /** RELEASE SAVEPOINT cockroach_restart committed the transaction. */
    RELEASE_RESTART,
    /** ROLLBACK TO SAVEPOINT undid the writes since the savepoint (or restarted the transaction). */
    ROLLED_BACK_TO,
    /** COMMIT or ROLLBACK ended the block. */
    END
  }

  private State state = State.IDLE;

  State state() {
    return state;
  }

  /** The one transition: the state after {@code e} in the current state. */
  State on(Event e) {
    state = switch (e) {
      case BEGIN -> state == State.IDLE ? State.OPEN : state;
      case ERROR -> state == State.OPEN || state == State.FAILED ? State.FAILED : state;
      case RELEASE_RESTART -> state == State.OPEN ? State.RELEASED : state;
      case ROLLED_BACK_TO -> state == State.OPEN || state == State.FAILED ? State.OPEN : state;
      case END -> State.IDLE;
    };
    return state;
  }

  /** What ReadyForQuery reports: a released block is still a block ({@code T}). */
  TransactionStatus status() {
    return switch (state) {
      case IDLE -> TransactionStatus.IDLE;
      case OPEN, RELEASED -> TransactionStatus.IN_TRANSACTION;
      case FAILED -> TransactionStatus.FAILED;
    };
  }

  /** 25P02 in a failed block, 25000 in a released one: a statement other than COMMIT or ROLLBACK may not run. */
  void checkRunnable() throws SqlException {
    if (state == State.FAILED) {
      throw failed();
    }
    if (state == State.RELEASED) {
      throw released();
    }
  }

  static SqlException failed() {
    return new SqlException(SqlState.IN_FAILED_SQL_TRANSACTION,
        "current transaction is aborted, commands ignored until end of transaction block");
  }

  static SqlException released() {
    return new SqlException(SqlState.INVALID_TRANSACTION_STATE,
        "current transaction is committed, commands ignored until end of transaction block");
  }
}
