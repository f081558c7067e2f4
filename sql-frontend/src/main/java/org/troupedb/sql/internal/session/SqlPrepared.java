package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.parser.StatementParser;
import org.troupedb.sql.parser.Stmt;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;
import org.troupedb.sql.parser.ast.SqlPrepare;

/**
 * A session's SQL-level prepared statements ({@code PREPARE name AS …}) by name, which {@code
 * EXECUTE} runs and {@code DEALLOCATE} drops. They are the session's, not the transaction's: a
 * ROLLBACK keeps them, as in PostgreSQL. They are apart from the protocol's named statements
 * (Parse), which the wire layer keeps.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class SqlPrepared {
  /**
   * A prepared statement: its planned form (planned again when the catalog changes, as any
   * prepared statement is) and every parameter's type (declared, else inferred).
   */
  record Entry(String name, Session.PreparedImpl prepared, List<PgType> parameterTypes) {}

  private final Map<String, Entry> statements = new LinkedHashMap<>();

  /** PREPARE: plans the carried statement in {@code session} (42P05 if the name is taken). */
  void prepare(Session session, SqlPrepare node, Stmt outer) throws SqlException {
    if (statements.containsKey(node.name())) {
      throw new SqlException(SqlState.DUPLICATE_PREPARED_STATEMENT,
          "prepared statement \"" + node.name() + "\" already exists");
    }
    List<PgType> declared = new ArrayList<>();
    for (SqlNode t : node.types()) {
      declared.add(type(outer.sql(), (SqlDataTypeSpec) t));
    }
    Stmt inner = StatementParser.carried(outer.sql(), node.body());
    Session.PreparedImpl p = (Session.PreparedImpl) session.prepare(inner, declared);
    List<PgType> types = new ArrayList<>(p.parameterTypes());
    for (int i = types.size(); i < declared.size(); i++) {
      types.add(declared.get(i));
    }
    statements.put(node.name(), new Entry(node.name(), p, List.copyOf(types)));
  }

  /** The statement of that name: 26000 if there is none. */
  Entry get(String name) throws SqlException {
    Entry e = statements.get(name);
    if (e == null) {
      throw new SqlException(SqlState.INVALID_SQL_STATEMENT_NAME, "prepared statement \"" + name + "\" does not exist");
    }
    return e;
  }

  boolean has(String name) {
    return statements.containsKey(name);
  }

  /** DEALLOCATE name ({@code null}: ALL). */
  void deallocate(String name) throws SqlException {
    if (name == null) {
      statements.clear();
      return;
    }
    get(name);
    statements.remove(name);
  }

  /** A declared parameter type: 42704 for a name PostgreSQL lacks, 0A000 for one TroupeDB lacks. */
  private static PgType type(String sql, SqlDataTypeSpec spec) throws SqlException {
    SqlPgTypeNameSpec pg = (SqlPgTypeNameSpec) spec.getTypeNameSpec();
    PgType t = pg.sqlTypeName() == null ? null : pg.pgType();
    if (t != null) {
      return t;
    }
    if (SqlPgTypeNameSpec.UNSUPPORTED_PG_TYPES.contains(pg.typeName())) {
      throw SqlException.unsupported("type " + pg.typeName());
    }
    // The spec's position starts at the token before it ("(" or ","): the name is the next match.
    int from = Errors.position(sql, spec.getParserPosition().getLineNum(), spec.getParserPosition().getColumnNum());
    int at = sql.toLowerCase(java.util.Locale.ROOT).indexOf(pg.typeName(), from - 1) + 1;
    throw new SqlException(SqlState.UNDEFINED_OBJECT, "type \"" + pg.typeName() + "\" does not exist", null, null,
        at, null);
  }
}
