package org.troupedb.pgwire;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.troupedb.sql.SqlSession;

/**
 * The server's live sessions by BackendKeyData process id, so that a CancelRequest arriving on
 * another connection can reach the right one. Thread-safe.
 */
final class CancelRegistry {
  /** What BackendKeyData told the client. */
  record Key(int processId, int secretKey) {}

  private final ConcurrentMap<Integer, Entry> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private record Entry(int secretKey, SqlSession session) {}

  /** Registers a session under a fresh random process id and secret. */
  Key register(SqlSession session) {
    int secret = random.nextInt();
    while (true) { // terminates: at most a few live sessions among 2^31 ids
      int pid = 1 + random.nextInt(Integer.MAX_VALUE - 1);
      if (sessions.putIfAbsent(pid, new Entry(secret, session)) == null) {
        return new Key(pid, secret);
      }
    }
  }

  void unregister(Key key) {
    sessions.computeIfPresent(key.processId(), (k, e) -> e.secretKey() == key.secretKey() ? null : e);
  }

  /** Cancels the session's running statement if pid and secret match; true if they did. */
  boolean cancel(int processId, int secretKey) {
    Entry e = sessions.get(processId);
    if (e == null || e.secretKey() != secretKey) {
      return false;
    }
    e.session().cancel();
    return true;
  }

  /** Cancels every session's running statement (server shutdown). */
  void cancelAll() {
    sessions.values().forEach(e -> e.session().cancel());
  }

  int size() {
    return sessions.size();
  }
}
