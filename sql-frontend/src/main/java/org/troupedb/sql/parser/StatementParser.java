package org.troupedb.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.parser.StatementSplitter.Piece;
import org.troupedb.sql.parser.StatementSplitter.Token;
import org.troupedb.sql.parser.ast.SqlAsOfSystemTime;
import org.troupedb.sql.parser.ast.SqlBeginTransaction;
import org.troupedb.sql.parser.ast.SqlCommit;
import org.troupedb.sql.parser.ast.SqlCopy;
import org.troupedb.sql.parser.ast.SqlDeclareCursor;
import org.troupedb.sql.parser.ast.SqlPrepare;
import org.troupedb.sql.parser.ast.SqlPgExplain;
import org.troupedb.sql.parser.ast.SqlPgInsert;
import org.troupedb.sql.parser.ast.SqlPgOperator;
import org.troupedb.sql.parser.ast.SqlReleaseSavepoint;
import org.troupedb.sql.parser.ast.SqlResetVariable;
import org.troupedb.sql.parser.ast.SqlReturning;
import org.troupedb.sql.parser.ast.SqlRollback;
import org.troupedb.sql.parser.ast.SqlSavepoint;
import org.troupedb.sql.parser.ast.SqlSelectLocking;
import org.troupedb.sql.parser.ast.SqlSetTransaction;
import org.troupedb.sql.parser.ast.SqlSetVariable;
import org.troupedb.sql.parser.ast.SqlShowVariable;
import org.troupedb.sql.parser.ast.SqlVacuum;

/**
 * Turns a query string into the session's statements: {@link StatementSplitter} finds the
 * statements, {@link TroupeParser} parses each into its AST, and this class names its command tag
 * and, for what Calcite plans, its {@link Query}.
 *
 * <pre>
 *   "BEGIN; INSERT …; COMMIT"  ──split──▶  pieces (text, offset)  ──TroupeParser──▶  SqlNode
 *                                                                   ──▶ Stmt (node, tag, query)
 * </pre>
 *
 * Errors are PostgreSQL's: 42601 with the position of the offending token in the whole string;
 * a statement that begins with a word no statement begins with is a syntax error at that word, one
 * that begins with a statement PostgreSQL has but TroupeDB lacks (LISTEN, …) is 0A000.
 */
public final class StatementParser {
  /** The words a statement TroupeDB's grammar knows can begin with. */
  private static final Set<String> STATEMENTS = Set.of("select", "values", "with", "table", "insert",
      "upsert", "update", "delete", "create", "drop", "alter", "truncate", "begin", "start", "commit",
      "end", "rollback", "abort", "savepoint", "release", "set", "reset", "show", "explain", "copy",
      "vacuum", "analyze", "grant", "revoke", "comment", "prepare", "execute", "deallocate", "declare",
      "fetch", "move", "close");

  /** PostgreSQL statements TroupeDB does not have. */
  private static final Set<String> UNSUPPORTED = Set.of("listen", "notify", "unlisten", "lock",
      "discard", "merge", "call", "do", "reindex", "cluster", "checkpoint", "refresh", "security",
      "import", "load", "reassign");

  private StatementParser() {}

  /** The statements of a query string, in order (none for an empty string or only comments). */
  public static List<Stmt> parse(String sql) throws SqlException {
    List<Stmt> out = new ArrayList<>();
    for (Piece p : StatementSplitter.split(sql)) {
      try {
        out.add(statement(p));
      } catch (SqlException e) {
        throw e.position() > 0 ? e.withPosition(e.position() + p.offset()) : e;
      }
    }
    return out;
  }

  private static Stmt statement(Piece p) throws SqlException {
    checkBeginsAStatement(p, 0);
    checkViewForm(p);
    int explained = 0;
    if ("explain".equals(p.firstWord())) {
      explained = 1;
      while (explained < p.head().size() && explained <= 2
          && List.of("analyze", "verbose").contains(p.head().get(explained).lower())) {
        explained++;
      }
      checkBeginsAStatement(p, explained);
    }
    SqlNode node;
    try {
      node = TroupeParser.parse(p.text());
    } catch (SqlParseException e) {
      throw syntaxError(e, p.text());
    }
    checkCarried(node, p.text());
    if (node instanceof SqlPgExplain explain) {
      int start = p.head().get(explained).start();
      Query inner = query(explain.statement(), p.text().substring(start));
      return new Stmt(p.text(), node, inner, "EXPLAIN", p.offset(), start);
    }
    return new Stmt(p.text(), node, query(node, p.text()), tag(node), p.offset(), 0);
  }

  /**
   * The statement {@code body} carries inside the statement whose text is {@code outerSql}
   * (PREPARE … AS, DECLARE … FOR, COPY (…)): its text is the part of {@code outerSql} the body's
   * position spans, and its offset is where that text starts in {@code outerSql} (so an error's
   * position moves into the outer statement's text, and from there into the query string).
   */
  public static Stmt carried(String outerSql, SqlNodeList body) throws SqlException {
    SqlParserPos pos = body.getParserPosition();
    int start = Errors.position(outerSql, pos.getLineNum(), pos.getColumnNum());
    int end = Errors.position(outerSql, pos.getEndLineNum(), pos.getEndColumnNum());
    String text = outerSql.substring(start - 1, end);
    SqlNode node = body.get(0);
    return new Stmt(text, node, query(node, text), tag(node), start - 1, 0);
  }

  /**
   * PostgreSQL's limits on a carried statement: PREPARE takes SELECT, VALUES, INSERT, UPDATE and
   * DELETE, DECLARE a query (anything else is a syntax error at its first word, as PostgreSQL's
   * grammar has it); COPY (…) TO takes a query (a data-modifying statement is 0A000).
   */
  private static void checkCarried(SqlNode node, String sql) throws SqlException {
    SqlNodeList body = node instanceof SqlPrepare pr ? pr.body()
        : node instanceof SqlDeclareCursor d ? d.body()
        : node instanceof SqlCopy c ? c.query() : null;
    if (body == null) {
      return;
    }
    Stmt inner = carried(sql, body);
    boolean query = inner.query() != null && "SELECT".equals(inner.query().tag());
    if (node instanceof SqlPrepare ? inner.query() != null : query) {
      return;
    }
    if (node instanceof SqlCopy) {
      throw SqlException.unsupported("COPY of " + inner.commandTag());
    }
    String word = inner.sql().split("[^A-Za-z_]", 2)[0];
    throw new SqlException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + word + "\"", null, null,
        inner.offset() + 1, null);
  }

  /** 0A000 for ALTER VIEW and the materialized-view statements, which the grammar has no forms for. */
  private static void checkViewForm(Piece p) throws SqlException {
    List<StatementSplitter.Token> h = p.head();
    if (h.size() < 2 || !h.get(1).word()) {
      return;
    }
    String first = p.firstWord();
    String second = h.get(1).lower();
    if ("alter".equals(first) && (second.equals("view") || second.equals("materialized"))) {
      throw SqlException.unsupported(second.equals("view") ? "ALTER VIEW" : "ALTER MATERIALIZED VIEW");
    }
    if ("drop".equals(first) && second.equals("materialized")) {
      throw SqlException.unsupported("DROP MATERIALIZED VIEW");
    }
  }

  /**
   * Fails unless the token {@code at} of {@code p} can begin a statement: a syntax error at it
   * (or at the end), or 0A000 naming a PostgreSQL statement TroupeDB lacks.
   */
  private static void checkBeginsAStatement(Piece p, int at) throws SqlException {
    if (at >= p.head().size()) {
      throw new SqlException(SqlState.SYNTAX_ERROR, "syntax error at end of input", null, null,
          p.text().length() + 1, null);
    }
    Token t = p.head().get(at);
    if (t.word() && STATEMENTS.contains(t.lower()) || t.text().equals("(")) {
      return;
    }
    if (t.word() && UNSUPPORTED.contains(t.lower())) {
      throw SqlException.unsupported(t.text().toUpperCase(Locale.ROOT));
    }
    throw new SqlException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + t.text() + "\"", null,
        null, t.start() + 1, null);
  }

  /** The {@link Query} of a statement Calcite plans, or null for any other statement. */
  private static Query query(SqlNode node, String sql) throws SqlException {
    String tag = queryTag(node);
    if (tag == null) {
      return null;
    }
    if (hasParameters(Query.returning(node))) {
      throw SqlException.unsupported("parameters in RETURNING");
    }
    if (hasParameters(Query.onConflict(node))) {
      throw SqlException.unsupported("parameters in ON CONFLICT");
    }
    return new Query(tag, sql, node, TroupeParser.maxParameterNumber(node));
  }

  /** SELECT, INSERT, UPDATE or DELETE for a statement Calcite plans; null for any other. */
  private static String queryTag(SqlNode node) {
    if (node instanceof SqlPgInsert || node instanceof SqlInsert) {
      return "INSERT";
    }
    SqlNode dml = node instanceof SqlReturning r ? r.dml() : node;
    if (dml instanceof SqlUpdate) {
      return "UPDATE";
    }
    if (dml instanceof SqlDelete) {
      return "DELETE";
    }
    if (node instanceof SqlSelectLocking || node instanceof SqlAsOfSystemTime || node.isA(SqlKind.QUERY)) {
      return "SELECT";
    }
    return null;
  }

  /** The command tag verb PostgreSQL reports for a statement (before any row count). */
  public static String tag(SqlNode node) {
    String query = queryTag(node);
    if (query != null) {
      return query;
    }
    if (node instanceof SqlBeginTransaction b) {
      return b.start() ? "START TRANSACTION" : "BEGIN";
    }
    if (node instanceof SqlRollback) {
      return "ROLLBACK";
    }
    if (node instanceof SqlCommit) {
      return "COMMIT";
    }
    if (node instanceof SqlSavepoint) {
      return "SAVEPOINT";
    }
    if (node instanceof SqlReleaseSavepoint) {
      return "RELEASE";
    }
    if (node instanceof SqlSetVariable || node instanceof SqlSetTransaction) {
      return "SET";
    }
    if (node instanceof SqlResetVariable) {
      return "RESET";
    }
    if (node instanceof SqlShowVariable) {
      return "SHOW";
    }
    if (node instanceof SqlVacuum v) {
      return v.vacuum() ? "VACUUM" : "ANALYZE";
    }
    if (node instanceof SqlCopy) {
      return "COPY";
    }
    if (node instanceof SqlCall call && call.getOperator() instanceof SqlPgOperator op) {
      return op.getName(); // CREATE TABLE, DROP INDEX, ALTER TABLE, TRUNCATE TABLE, ...
    }
    return node.getKind().sql.replace('_', ' ');
  }

  private static boolean hasParameters(SqlNode node) {
    if (node == null) {
      return false;
    }
    return TroupeParser.maxParameterNumber(node) > 0;
  }

  /**
   * PostgreSQL's syntax error for a Calcite parse error in {@code sql}: {@code syntax error at or
   * near "<token as written>"} or {@code syntax error at end of input}, at the token's 1-based
   * position in {@code sql}.
   */
  public static SqlException syntaxError(SqlParseException e, String sql) {
    String msg = e.getMessage() == null ? "" : e.getMessage();
    String near = null;
    int q = msg.indexOf("Encountered \"");
    if (q >= 0) {
      int end = msg.indexOf("\" at line", q + 13);
      if (end > q) {
        near = msg.substring(q + 13, end).trim();
        // Calcite lists the tokens from the last good one; PostgreSQL names the offending one.
        int sp = near.lastIndexOf(' ');
        if (sp >= 0) {
          near = near.substring(sp + 1);
        }
      }
    }
    // Position: the offending token, searched from where Calcite's error starts; quoted as written.
    int at = e.getPos() == null || e.getPos().getLineNum() <= 0 ? 0
        : Errors.position(sql, e.getPos().getLineNum(), e.getPos().getColumnNum());
    boolean atEnd = near == null || near.isEmpty() || near.equals("<EOF>");
    if (!atEnd && at > 0) {
      int found = sql.toLowerCase(Locale.ROOT).indexOf(near.toLowerCase(Locale.ROOT), at - 1);
      if (found >= 0) {
        at = found + 1;
        near = sql.substring(found, found + near.length());
      }
    } else if (atEnd && msg.contains("<EOF>")) {
      at = sql.length() + 1;
    }
    String text = atEnd
        ? (msg.contains("<EOF>") ? "syntax error at end of input" : "syntax error: " + firstLine(msg))
        : "syntax error at or near \"" + near + "\"";
    return new SqlException(SqlState.SYNTAX_ERROR, text, null, null, at, e);
  }

  private static String firstLine(String msg) {
    int nl = msg.indexOf('\n');
    return nl > 0 ? msg.substring(0, nl) : msg;
  }
}
