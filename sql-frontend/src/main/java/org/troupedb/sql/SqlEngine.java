package org.troupedb.sql;

/** The SQL layer of a node: opens sessions for client connections. Thread-safe. */
public interface SqlEngine {

  /**
   * Opens a session for an authenticated connection.
   *
   * @throws SqlException 3D000 if the database does not exist
   */
  SqlSession openSession(SessionParams params) throws SqlException;
}
