package org.troupedb.pgwire;

/**
 * The server-wide parts that bound a connection's session: its slot under max_connections and the
 * watch that cancels its statement when the client goes away.
 */
record SessionLimits(ConnectionSlots slots, ClientWatch watch) {
  /** Fresh ones for {@code limits} (a server makes one set for all its connections). */
  static SessionLimits of(PgLimits limits) {
    return new SessionLimits(new ConnectionSlots(limits), new ClientWatch());
  }
}
