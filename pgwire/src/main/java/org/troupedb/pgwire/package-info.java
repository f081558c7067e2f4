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
 */
package org.troupedb.pgwire;
