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
 *             (framing, length    (parse into            per connection, on the      (phase, session,
 *              checks)             FrontendMessage)       shared session pool)         slot, cancel key)
 *   socket ◀── PgOutbound ◀── PgReplies ◀─────────────────────────────────────────────────────┘
 *              (buffer, back-   (ParameterStatus, ErrorResponse,    PgBackendMessages (one encoder per
 *               pressure)        the end of the conversation)       message), PgTextFormat / PgBinaryFormat
 * </pre>
 *
 * <p>{@code PgConnection} hands each message to the part that does its job:
 *
 * <pre>
 *   STARTUP ─▶ PgStartup         protocol version, options, admission, password / SCRAM (ScramExchange)
 *   READY   ─▶ PgQueryProtocol   ReadyForQuery, Sync, skip-until-Sync, copy-in mode; routes to
 *                ├─ PgSimpleQuery     Query: a string's statements, results streamed
 *                ├─ PgExtendedQuery   Parse/Bind/Describe/Execute/Close, statements and portals
 *                └─ PgCopyIn / PgCopyOut   COPY FROM STDIN / TO STDOUT (CopyFormat: the data)
 *   PgErrors: an engine failure becomes its SqlException or XX000, never a stack trace
 * </pre>
 *
 * Event-loop threads only frame, parse and write; statements run on the session pool, and every
 * part of a connection is confined to its serial executor (each class comment says where not). A
 * CancelRequest reaches the target session through the server's {@code CancelRegistry}.
 *
 * <p>Limits ({@link org.troupedb.pgwire.PgLimits}, docs/limits.md): {@code ConnectionSlots}
 * (max_connections, superuser_reserved_connections), {@code TooManyClientsHandler} (sockets
 * beyond twice that), {@code IdleTimeouts} (idle_in_transaction_session_timeout,
 * idle_session_timeout), {@code ClientWatch} (a client gone mid-statement cancels it), and
 * per-type message lengths in {@code PgFrameDecoder}.
 */
package org.troupedb.pgwire;
