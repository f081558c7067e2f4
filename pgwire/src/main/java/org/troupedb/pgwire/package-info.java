/**
 * PostgreSQL wire protocol v3 server.
 *
 * <p>The node builds a {@link org.troupedb.pgwire.PgServer} from a {@link
 * org.troupedb.pgwire.PgServerConfig} and its {@link org.troupedb.sql.SqlEngine}, calls {@code
 * start()} (which returns the bound address) and {@code close()} at shutdown. Nothing here knows
 * which engine it talks to.
 *
 * <pre>
 *   socket ─▶ PgFrameDecoder ─▶ PgConnectionHandler ──(SerialExecutor, in order)──▶ PgConnection ─▶ SqlSession
 *             (framing, length    (parse into            per connection, on the      (protocol state
 *              checks)             FrontendMessage)       shared session pool)         machine, portals)
 *   socket ◀──────────────────────────── PgBackendMessages (one encoder per message) ◀──┘
 *                                        PgTextFormat / PgBinaryFormat (values)
 * </pre>
 *
 * Event-loop threads only frame, parse and write; statements run on the session pool. A
 * CancelRequest reaches the target session through the server's {@code CancelRegistry}.
 *
 * <p>Limits ({@link org.troupedb.pgwire.PgLimits}, docs/limits.md): {@code ConnectionSlots}
 * (max_connections, superuser_reserved_connections), {@code TooManyClientsHandler} (sockets
 * beyond twice that), {@code IdleTimeouts} (idle_in_transaction_session_timeout,
 * idle_session_timeout), {@code ClientWatch} (a client gone mid-statement cancels it), and
 * per-type message lengths in {@code PgFrameDecoder}.
 */
package org.troupedb.pgwire;
