package org.troupedb.pgwire;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.sql.SqlSession;

/**
 * Cancels the running statement of a connection whose client has gone, as PostgreSQL's
 * {@code client_connection_check_interval} does: without it a long statement would run on (and
 * hold its locks, its thread and its memory) after the client disconnected.
 *
 * <p>{@link PgServer} runs {@link #check} every {@link #PERIOD_MILLIS} on its accept loop. A
 * connection marks itself busy while it handles a message (two volatile writes); the check looks
 * only at connections busy for longer than a period, and asks each whether its client is gone
 * ({@link PgDirectSocket#peerGone}: a non-blocking epoll poll, no read), then cancels the session
 * (57014). The statement stops at its next cancellation check; the connection then fails to
 * write its error, closes, and the session rolls back.
 */
final class ClientWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ClientWatch.class);
  static final long PERIOD_MILLIS = 250;

  private final Set<Entry> entries = ConcurrentHashMap.newKeySet();

  /** One logged-in connection: its session and how to tell its client is gone. */
  final class Entry implements AutoCloseable {
    private final SqlSession session;
    private final BooleanSupplier clientGone;
    /** System.nanoTime() | 1 when the current message began, or 0 between messages. */
    private volatile long busySince;

    private Entry(SqlSession session, BooleanSupplier clientGone) {
      this.session = session;
      this.clientGone = clientGone;
    }

    void busy() {
      busySince = System.nanoTime() | 1;
    }

    void idle() {
      busySince = 0;
    }

    @Override
    public void close() {
      entries.remove(this);
    }
  }

  Entry register(SqlSession session, BooleanSupplier clientGone) {
    Entry e = new Entry(session, clientGone);
    entries.add(e);
    return e;
  }

  /** Cancels the statements of clients gone while their connection is busy. Any one thread. */
  void check() {
    long now = System.nanoTime();
    for (Entry e : entries) {
      long since = e.busySince;
      if (since != 0 && now - since >= TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS) && e.clientGone.getAsBoolean()) {
        LOG.debug("client gone during a statement: canceling it");
        e.session.cancel();
      }
    }
  }

  int size() {
    return entries.size();
  }
}
