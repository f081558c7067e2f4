package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.troupedb.pgwire.PgFrontendMessages.Bind;
import org.troupedb.pgwire.PgFrontendMessages.Close;
import org.troupedb.pgwire.PgFrontendMessages.Describe;
import org.troupedb.pgwire.PgFrontendMessages.Execute;
import org.troupedb.pgwire.PgFrontendMessages.Parse;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.CopyIn;
import org.troupedb.sql.CopyOut;
import org.troupedb.sql.PgType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;

/**
 * The extended query protocol of one session: prepared statements and portals, and the replies to
 * Parse, Bind, Describe, Execute and Close. Errors are thrown; what follows one (skip until Sync)
 * and Sync itself are {@link PgQueryProtocol}'s.
 *
 * <pre>
 *   Parse(name, sql, types) ─▶ statements[name]                      ParseComplete
 *   Bind(portal, name, params, formats) ─▶ portals[portal]           BindComplete
 *   Describe 'S' ─▶ ParameterDescription, RowDescription | NoData    (Describe 'P': the latter)
 *   Execute(portal, n) ─▶ DataRow × ≤ n, then PortalSuspended (more to come: the result is kept
 *                         in the portal, a streamed one still reading) or CommandComplete; a
 *                         COPY switches to copy-in/out
 *   Close 'S' (and the statement's portals) / 'P' ─▶ CloseComplete
 *   portals live until the transaction ends (PostgreSQL's rule), statements until closed
 * </pre>
 *
 * <p>NB: confined to the connection's serial executor; the maps are not shared.
 */
final class PgExtendedQuery {

  /** A prepared statement; {@code prepared} is null for an empty query string. */
  private record PreparedStatement(String sql, Prepared prepared) {
    List<PgType> parameterTypes() {
      return prepared == null ? List.of() : prepared.parameterTypes();
    }

    List<ColumnInfo> columns() {
      return prepared == null ? List.of() : prepared.columns();
    }
  }

  /** A bound statement; holds its result once executed, to resume after PortalSuspended. */
  private static final class Portal {
    final PreparedStatement statement;
    final List<Object> params;
    final short[] resultFormats;
    StatementResult result;
    Iterator<Object[]> rows;
    boolean done;

    Portal(PreparedStatement statement, List<Object> params, short[] resultFormats) {
      this.statement = statement;
      this.params = params;
      this.resultFormats = resultFormats;
    }
  }

  private final SqlSession session;
  private final PgReplies replies;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();

  PgExtendedQuery(SqlSession session, PgReplies replies) {
    this.session = session;
    this.replies = replies;
  }

  void parse(Parse p) throws SqlException {
    if (!p.name().isEmpty() && statements.containsKey(p.name())) {
      throw new SqlException(SqlState.DUPLICATE_PREPARED_STATEMENT,
          "prepared statement \"" + p.name() + "\" already exists");
    }
    List<Statement> parsed = PgErrors.guard(() -> session.parse(p.sql()));
    if (parsed.size() > 1) {
      throw new SqlException(SqlState.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
    }
    List<PgType> hints = new ArrayList<>(p.paramTypeOids().length);
    for (int oid : p.paramTypeOids()) {
      hints.add(oid == 0 ? null : PgType.ofOid(oid));
    }
    Prepared prepared = parsed.isEmpty() ? null : PgErrors.guard(() -> session.prepare(parsed.get(0), hints));
    statements.put(p.name(), new PreparedStatement(p.sql(), prepared));
    PgBackendMessages.parseComplete(replies.out());
  }

  void bind(Bind b) throws SqlException {
    PreparedStatement ps = statements.get(b.statement());
    if (ps == null) {
      throw new SqlException(SqlState.INVALID_SQL_STATEMENT_NAME,
          "prepared statement \"" + b.statement() + "\" does not exist");
    }
    if (!b.portal().isEmpty() && portals.containsKey(b.portal())) {
      // NB: PostgreSQL says 42P03 duplicate_cursor, which SqlState does not list yet.
      throw new SqlException(SqlState.DUPLICATE_OBJECT, "portal \"" + b.portal() + "\" already exists");
    }
    List<PgType> types = ps.parameterTypes();
    if (b.values().length != types.size()) {
      throw new SqlException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + b.values().length
          + " parameters, but prepared statement \"" + b.statement() + "\" requires " + types.size());
    }
    short[] paramFormats = formats(b.paramFormats(), types.size(), "parameter");
    List<Object> params = new ArrayList<>(types.size());
    for (int i = 0; i < types.size(); i++) {
      params.add(decodeParam(types.get(i), paramFormats[i], b.values()[i]));
    }
    short[] resultFormats = formats(b.resultFormats(), ps.columns().size(), "result");
    portals.put(b.portal(), new Portal(ps, params, resultFormats));
    PgBackendMessages.bindComplete(replies.out());
  }

  /** Expands format codes: none = all text, one = all alike, else one per item. */
  private static short[] formats(short[] codes, int n, String what) throws SqlException {
    short[] f = new short[n];
    if (codes.length == 1) {
      Arrays.fill(f, codes[0]);
    } else if (codes.length == n) {
      System.arraycopy(codes, 0, f, 0, n);
    } else if (codes.length != 0) {
      throw new SqlException(SqlState.PROTOCOL_VIOLATION,
          "bind message has " + codes.length + " " + what + " formats but " + n + " " + what + "s");
    }
    for (short code : f) {
      if (code != PgBackendMessages.TEXT && code != PgBackendMessages.BINARY) {
        throw new SqlException(SqlState.PROTOCOL_VIOLATION, "unsupported format code: " + code);
      }
    }
    return f;
  }

  private Object decodeParam(PgType type, short format, byte[] value) throws SqlException {
    if (value == null) {
      return null;
    }
    PgType t = type == null ? PgType.UNKNOWN : type;
    ByteBuf buf = PgBinaryFormat.wrap(value);
    if (format == PgBackendMessages.BINARY) {
      return PgBinaryFormat.decode(t, buf);
    }
    String text;
    try {
      text = PgFrontendMessages.utf8(buf, value.length);
    } catch (CharacterCodingException e) {
      throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid byte sequence for encoding \"UTF8\"");
    }
    return PgTextFormat.decode(t, text, replies.zone());
  }

  void describe(Describe d) throws SqlException {
    if (d.kind() == 'S') {
      PreparedStatement ps = statements.get(d.name());
      if (ps == null) {
        throw new SqlException(SqlState.INVALID_SQL_STATEMENT_NAME,
            "prepared statement \"" + d.name() + "\" does not exist");
      }
      PgBackendMessages.parameterDescription(replies.out(), ps.parameterTypes());
      rowDescriptionOrNoData(ps.columns(), null);
    } else {
      Portal portal = portal(d.name());
      rowDescriptionOrNoData(portal.statement.columns(), portal.resultFormats);
    }
  }

  private void rowDescriptionOrNoData(List<ColumnInfo> columns, short[] formats) {
    if (columns.isEmpty()) {
      PgBackendMessages.noData(replies.out());
    } else {
      PgBackendMessages.rowDescription(replies.out(), columns, formats);
    }
  }

  private Portal portal(String name) throws SqlException {
    Portal portal = portals.get(name);
    if (portal == null) {
      throw new SqlException(SqlState.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
    }
    return portal;
  }

  /** Runs or resumes a portal. Returns the COPY FROM STDIN it started (copy-in mode follows), else null. */
  CopyIn execute(Execute e) throws SqlException {
    Portal portal = portal(e.portal());
    Prepared prepared = portal.statement.prepared();
    if (prepared == null) {
      PgBackendMessages.emptyQueryResponse(replies.out());
      return null;
    }
    if (portal.result == null) {
      // every path ends in session.sync()
      portal.result = PgErrors.guard(() -> session.executeUntilSync(prepared, portal.params));
      portal.rows = portal.result.rows();
      if (portal.result instanceof CopyIn in) {
        portal.done = true;
        return in;
      }
      if (portal.result instanceof CopyOut out) {
        portal.done = true;
        try {
          PgCopyOut.send(out, replies);
        } catch (RuntimeException ex) {
          throw PgErrors.unwrap(ex);
        } finally {
          out.close();
        }
        return null;
      }
    }
    if (portal.result.isEmptyQuery()) {
      PgBackendMessages.emptyQueryResponse(replies.out());
      return null;
    }
    List<ColumnInfo> columns = portal.result.columns();
    short[] formats = portal.resultFormats.length == columns.size() ? portal.resultFormats : null;
    long limit = e.maxRows() <= 0 ? Long.MAX_VALUE : e.maxRows();
    try {
      for (long sent = 0; sent < limit && !portal.done && portal.rows.hasNext(); sent++) {
        PgBackendMessages.dataRow(replies.out(), portal.rows.next(), columns, formats, replies.zone());
        replies.flushIfFull();
      }
      if (!portal.done && portal.rows.hasNext()) {
        PgBackendMessages.portalSuspended(replies.out());
        return null;
      }
    } catch (RuntimeException | LinkageError | StackOverflowError | AssertionError ex) {
      portal.done = true;
      portal.result.close();
      throw PgErrors.unwrap(ex);
    }
    portal.done = true;
    portal.result.close();
    PgBackendMessages.commandComplete(replies.out(), portal.result.commandTag());
    replies.parameterStatus(session.takeChangedParameters());
    return null;
  }

  void close(Close c) {
    if (c.kind() == 'S') {
      PreparedStatement ps = statements.remove(c.name());
      if (ps != null) {
        portals.values().removeIf(p -> p.statement == ps && close(p));
      }
    } else {
      close(portals.remove(c.name()));
    }
    PgBackendMessages.closeComplete(replies.out());
  }

  /** A simple Query replaces the unnamed statement and portal, as in PostgreSQL. */
  void dropUnnamed() {
    statements.remove("");
    close(portals.remove(""));
  }

  /** Stops a portal's result if it is still being read (its rows will not be asked for); true. */
  private static boolean close(Portal p) {
    if (p != null && p.result != null) {
      try {
        p.result.close();
      } catch (RuntimeException e) {
        // the rows are given up either way; nobody waits for this result's error
      }
    }
    return true;
  }

  /** Portals live until their transaction ends, as in PostgreSQL. */
  void closePortalsIfIdle() {
    if (session.transactionStatus() == SqlSession.TransactionStatus.IDLE) {
      portals.values().forEach(PgExtendedQuery::close);
      portals.clear();
    }
  }

  /** Forgets every statement and portal (the connection ended). */
  void clear() {
    statements.clear();
    portals.values().forEach(PgExtendedQuery::close);
    portals.clear();
  }
}
