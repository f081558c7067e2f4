package org.troupedb.pgwire;

import io.netty.channel.Channel;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.TimeoutSetting;

/**
 * A connection's {@code idle_in_transaction_session_timeout} and {@code idle_session_timeout}: armed
 * when it sends ReadyForQuery, disarmed by the next message. When one runs out the connection ends
 * as PostgreSQL 15's does: FATAL, then close; the session's transaction is rolled back, so its
 * locks and intents go with it.
 *
 * <pre>
 *   ReadyForQuery 'T' or 'E' ──idle_in_transaction_session_timeout──▶ FATAL 25P03
 *       "terminating connection due to idle-in-transaction timeout"
 *   ReadyForQuery 'I'        ──idle_session_timeout──────────────────▶ FATAL 57P05
 *       "terminating connection due to idle-session timeout"
 * </pre>
 *
 * <p>Threads: {@link #idle} and {@link #busy} run on the connection's serial executor; the timer
 * fires on the channel's event loop and hands the termination back to that executor, where it
 * happens only if no message came in between (the generation did not move).
 */
final class IdleTimeouts {
  /** How the connection ends: sends FATAL {@code sqlState} {@code message} and closes. */
  interface Terminator {
    void terminate(String sqlState, String message);
  }

  private final Channel channel;
  private final Executor serial;
  private final Terminator terminator;
  /** Serial executor only (the volatile is for the hand-off from the pool's threads). */
  private volatile long generation;
  private ScheduledFuture<?> timer;

  IdleTimeouts(Channel channel, Executor serial, Terminator terminator) {
    this.channel = channel;
    this.serial = serial;
    this.terminator = terminator;
  }

  /** A message arrived: the connection is no longer idle. */
  void busy() {
    generation++;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** ReadyForQuery was sent: arms the timeout that applies to the session's transaction status. */
  void idle(SqlSession session) {
    busy();
    boolean inTransaction = session.transactionStatus() != SqlSession.TransactionStatus.IDLE;
    String name = inTransaction ? TimeoutSetting.IDLE_IN_TRANSACTION : TimeoutSetting.IDLE_SESSION;
    long ms = TimeoutSetting.millisOrOff(session.setting(name));
    if (ms <= 0) {
      return;
    }
    long armed = generation;
    timer = channel.eventLoop().schedule(() -> serial.execute(() -> {
      if (generation == armed) {
        if (inTransaction) {
          terminator.terminate(SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
              "terminating connection due to idle-in-transaction timeout");
        } else {
          terminator.terminate(SqlState.IDLE_SESSION_TIMEOUT, "terminating connection due to idle-session timeout");
        }
      }
    }), ms, TimeUnit.MILLISECONDS);
  }
}
