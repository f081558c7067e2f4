package org.troupedb.sql.internal.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.plan.ByteBoundedCache;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.parser.Stmt;
import org.troupedb.sql.parser.ast.SqlBeginTransaction;
import org.troupedb.sql.parser.ast.SqlCommit;
import org.troupedb.sql.parser.ast.SqlReleaseSavepoint;
import org.troupedb.sql.parser.ast.SqlResetVariable;
import org.troupedb.sql.parser.ast.SqlRollback;
import org.troupedb.sql.parser.ast.SqlSavepoint;
import org.troupedb.sql.parser.ast.SqlSetTransaction;
import org.troupedb.sql.parser.ast.SqlSetVariable;
import org.troupedb.sql.parser.ast.SqlShowVariable;

/**
 * The node's parsed and prepared statements by text, shared by all sessions, so that a Parse (or
 * a simple Query) of a text seen before neither parses nor plans again — pgjdbc's unnamed
 * statements before {@code prepareThreshold}, its BEGIN and COMMIT, every session's first Parse
 * of a statement another session prepared.
 *
 * <pre>
 *   text ──parsed──▶ [Stmt…]            (only statements whose trees are never modified)
 *   (text, offset, declared types, database, search_path)
 *        ──prepared──▶ PreparedImpl     (its PlanSlot says for which catalog snapshot it holds)
 * </pre>
 *
 * A prepared entry does not carry its own validity: the caller checks its {@code PlanSlot}
 * against the catalog snapshot it reads (an epoch changes with every DDL), so DDL invalidates it,
 * and against the planner generation. The plan itself does not depend on the declared parameter
 * types (values are coerced to the types the plan inferred), but the prepared form does (the
 * ParameterDescription echoes them), so they are in the key. Statements that depend on no
 * catalog (BEGIN, SET, SHOW, …) are valid forever.
 *
 * <p>Both maps are bounded by estimated bytes ({@link ByteBoundedCache}: an eighth and a quarter
 * of {@link QueryPlanner#PLAN_CACHE_BYTES}), evicting the least recently read texts first, so a
 * stream of distinct texts (literals written into SQL) neither grows the heap nor flushes the hot
 * statements. Texts longer than {@link #MAX_TEXT} are not kept.
 */
public final class StatementCache {
  static final int MAX_TEXT = 32 * 1024;
  /** Estimated bytes of a parsed text's trees: a few dozen bytes of AST per character. */
  static long parsedWeight(String sql) {
    return 512 + 24L * sql.length();
  }

  /** Estimated bytes of a prepared form: the parse, the column list and the plan its slot holds. */
  static long preparedWeight(Key key) {
    return 8192 + 24L * key.sql().length();
  }

  /**
   * {@code -Dtroupedb.sql.statement-cache=off} parses and prepares every text again (as before
   * this cache; for measuring it); the counters count either way.
   */
  private static final boolean ENABLED = !"off".equals(System.getProperty("troupedb.sql.statement-cache"));

  /** What makes a prepared form: a change to any of these is another entry. */
  record Key(String sql, int offset, List<PgType> hints, long database, String searchPath) {}

  private final ByteBoundedCache<String, List<Stmt>> parsed;
  private final ByteBoundedCache<Key, Session.PreparedImpl> prepared;

  StatementCache() {
    this(QueryPlanner.PLAN_CACHE_BYTES / 8, QueryPlanner.PLAN_CACHE_BYTES / 4);
  }

  /** With these bounds, in estimated bytes, for the parsed and the prepared statements. */
  StatementCache(long parsedBytes, long preparedBytes) {
    parsed = new ByteBoundedCache<>(parsedBytes, (sql, stmts) -> parsedWeight(sql));
    prepared = new ByteBoundedCache<>(preparedBytes, (key, p) -> preparedWeight(key));
  }

  /** Estimated bytes held (parsed and prepared). */
  long bytes() {
    return parsed.bytes() + prepared.bytes();
  }
  final LongAdder parseHits = new LongAdder();
  final LongAdder prepareRequests = new LongAdder();
  final LongAdder prepareHits = new LongAdder();

  /** The statements of {@code sql} parsed before, or null. */
  List<Stmt> parsed(String sql) {
    List<Stmt> p = ENABLED ? parsed.get(sql) : null;
    if (p != null) {
      parseHits.increment();
    }
    return p;
  }

  /** Keeps {@code stmts} as the parse of {@code sql} when every tree is only read by its users. */
  void putParsed(String sql, List<Stmt> stmts) {
    if (sql.length() > MAX_TEXT || stmts.isEmpty()) {
      return;
    }
    for (Stmt s : stmts) {
      if (!shareable(s)) {
        return;
      }
    }
    parsed.put(sql, stmts);
  }

  /**
   * Queries ({@code Query.node()} is only read; planning parses a fresh tree) and the statements
   * a session runs itself; DDL, COPY and EXPLAIN are parsed every time.
   */
  private static boolean shareable(Stmt s) {
    if (s.query() != null) {
      return s.node() == s.query().node();
    }
    SqlNode n = s.node();
    return n instanceof SqlBeginTransaction || n instanceof SqlCommit || n instanceof SqlRollback
        || n instanceof SqlSavepoint || n instanceof SqlReleaseSavepoint || n instanceof SqlSetVariable
        || n instanceof SqlResetVariable || n instanceof SqlSetTransaction || n instanceof SqlShowVariable;
  }

  /** The key of {@code st}'s prepared form, or null for a statement not kept (see {@link #shareable}). */
  static Key key(Stmt st, List<PgType> hints, long database, String searchPath) {
    if (!shareable(st) || st.sql().length() > MAX_TEXT) {
      return null;
    }
    List<PgType> h = hints == null ? List.of() : trimmed(hints);
    return new Key(st.sql(), st.offset(), h, database, searchPath);
  }

  /** The declared types without trailing unknowns ({@code [int4, null]} prepares as {@code [int4]}). */
  private static List<PgType> trimmed(List<PgType> hints) {
    int n = hints.size();
    while (n > 0 && hints.get(n - 1) == null) {
      n--;
    }
    return n == 0 ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(hints.subList(0, n)));
  }

  Session.PreparedImpl prepared(Key key) {
    prepareRequests.increment();
    Session.PreparedImpl p = ENABLED ? prepared.get(key) : null;
    if (p != null) {
      prepareHits.increment();
    }
    return p;
  }

  void putPrepared(Key key, Session.PreparedImpl p) {
    prepared.put(key, p);
  }
}
