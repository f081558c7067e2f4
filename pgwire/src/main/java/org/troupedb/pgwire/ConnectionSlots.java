package org.troupedb.pgwire;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's session slots ({@link PgLimits}): a session takes one once authenticated and gives
 * it back when it ends. Thread-safe.
 */
final class ConnectionSlots {
  static final String TOO_MANY = "sorry, too many clients already";
  /** PostgreSQL 15's text (16 says "… reserved for roles with the SUPERUSER attribute"). */
  static final String RESERVED = "remaining connection slots are reserved for non-replication superuser connections";

  private final PgLimits limits;
  private final AtomicInteger used = new AtomicInteger();

  ConnectionSlots(PgLimits limits) {
    this.limits = limits;
  }

  /**
   * Takes a slot and returns null, or returns why not (the message of a FATAL 53300): every slot
   * is taken, or only reserved ones are left and {@code superuser} is false. A successful call
   * must be matched by {@link #release()}.
   */
  String acquire(boolean superuser) {
    while (true) { // terminates: each failed CAS means another thread's succeeded
      int n = used.get();
      if (n >= limits.maxConnections()) {
        return TOO_MANY;
      }
      if (!superuser && n >= limits.maxConnections() - limits.superuserReservedConnections()) {
        return RESERVED;
      }
      if (used.compareAndSet(n, n + 1)) {
        return null;
      }
    }
  }

  void release() {
    used.decrementAndGet();
  }

  int used() {
    return used.get();
  }

  PgLimits limits() {
    return limits;
  }
}
