package org.troupedb.sql.internal.session;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.troupedb.sql.TimeoutSetting;
import org.troupedb.sql.internal.errors.CancelFlag;

/**
 * Enforces {@code statement_timeout}: started with a statement, it sets the session's {@link
 * CancelFlag} (reason: statement timeout) if the statement still runs when the time is up; the
 * statement then stops at its next cancellation check (between rows, and every 100 ms while it
 * waits for the KV layer, see {@link Kv#await}) with 57014. Closing it disarms it.
 */
final class StatementTimer implements AutoCloseable {
  /** One daemon thread for every session's timers: firing only sets a flag. */
  private static final ScheduledThreadPoolExecutor TIMERS = timers();

  private final ScheduledFuture<?> task;

  private StatementTimer(ScheduledFuture<?> task) {
    this.task = task;
  }

  private static ScheduledThreadPoolExecutor timers() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "troupe-statement-timeout");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** Begins a statement on {@code flag}, armed with the {@code statement_timeout} value {@code setting}. */
  static StatementTimer start(CancelFlag flag, String setting) {
    long gen = flag.begin();
    long ms = TimeoutSetting.millisOrOff(setting);
    if (ms <= 0) {
      return new StatementTimer(null);
    }
    return new StatementTimer(TIMERS.schedule(() -> flag.cancel(gen, CancelFlag.STATEMENT_TIMEOUT), ms,
        TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
