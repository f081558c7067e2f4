package org.troupedb.sql;

import java.util.Optional;

/** The SQL layer of a node: opens sessions for client connections. Thread-safe. */
public interface SqlEngine {

  /**
   * Opens a session for an authenticated connection.
   *
   * @throws SqlException 3D000 if the database does not exist
   */
  SqlSession openSession(SessionParams params) throws SqlException;

  /**
   * The role a client wants to log in as, for authentication (before {@link #openSession}); empty
   * if no such role exists. NB: blocks on a catalog read; call it off the event loop.
   */
  /**
   * Monotonic counters for the node's metrics, by Prometheus name: statements executed, prepares
   * and their cache hits, Calcite parses, plannings, plans built. Empty if the engine keeps none.
   */
  default java.util.Map<String, java.util.function.LongSupplier> counters() {
    return java.util.Map.of();
  }

  default Optional<LoginRole> lookupRole(String user) throws SqlException {
    return Optional.empty();
  }
}
