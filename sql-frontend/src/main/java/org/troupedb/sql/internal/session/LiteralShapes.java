package org.troupedb.sql.internal.session;

import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.Statement;
import org.troupedb.sql.parser.SimpleLiterals;
import org.troupedb.sql.parser.Stmt;

/**
 * A session's simple queries by shape: a text whose integer literals {@link SimpleLiterals} can
 * take is parsed and prepared once as its shape ({@code $n} for the literals) and executed with
 * each text's values, while each value keeps its meaning as the shape's parameter type.
 *
 * <p>NB: not thread-safe; owned by the session.
 */
final class LiteralShapes {
  private final Session session;
  /** Simple-query shapes prepared in this session, least recent first. */
  private final Map<String, Session.PreparedImpl> shapes = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Session.PreparedImpl> eldest) {
      return size() > MAX_SHAPES;
    }
  };
  private static final int MAX_SHAPES = 256;

  LiteralShapes(Session session) {
    this.session = session;
  }

  /**
   * A simple query whose integer literals {@link SimpleLiterals} can take: the statement of its
   * shape (parsed once per session) with this text's values, else the session's parse.
   */
  List<Statement> parse(String sql) throws SqlException {
    SimpleLiterals.Shape shape = SimpleLiterals.parameterize(sql);
    if (shape == null) {
      return session.parse(sql);
    }
    Session.PreparedImpl known = shapes.get(shape.sql());
    if (known != null) {
      return List.of(new Session.LiteralStmt(known.statement(), shape.sql(), sql, shape.values(), shape.contexts()));
    }
    List<Statement> parsed;
    try {
      parsed = session.parse(shape.sql());
    } catch (SqlException e) {
      return session.parse(sql); // its own error, at its own positions
    }
    if (parsed.size() != 1 || ((Stmt) parsed.get(0)).query() == null
        || ((Stmt) parsed.get(0)).parameterCount() != shape.values().length) {
      return session.parse(sql);
    }
    return List.of(new Session.LiteralStmt((Stmt) parsed.get(0), shape.sql(), sql, shape.values(), shape.contexts()));
  }

  /**
   * The shape's prepared form if each value keeps its meaning as the parameter's type: an integer
   * type it fits, or double precision (exact below 2^53); an operand of {@code +}/{@code -} not
   * smallint (PostgreSQL adds an integer literal to a smallint as integer). Otherwise (a text
   * column, a numeric's precision, a smallint out of range: PostgreSQL compares those differently)
   * null.
   */
  private static Session.LiteralPrepared ifValuesFit(Session.LiteralStmt st, Session.PreparedImpl p) {
    List<RelDataType> types = p.calciteParamTypes();
    if (types.size() != st.values().length) {
      return null;
    }
    for (int i = 0; i < types.size(); i++) {
      long v = st.values()[i];
      RelDataType t = types.get(i);
      boolean fits = t != null && switch (t.getSqlTypeName()) {
        case SMALLINT -> st.contexts().get(i) != SimpleLiterals.Context.ARITHMETIC
            && v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
        case INTEGER -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
        case BIGINT -> true;
        case DOUBLE -> Math.abs(v) < (1L << 53);
        default -> false;
      };
      if (!fits) {
        return null;
      }
    }
    return new Session.LiteralPrepared(st, p);
  }

  /**
   * Prepares a {@link Session.LiteralStmt}: its shape as prepared before in this session while the catalog
   * is unchanged, else newly (a failure there aborts nothing: the original text then reports its
   * own error); the original text when the values do not fit the shape's parameters.
   */
  Prepared prepare(Session.LiteralStmt st) throws SqlException {
    Session.PreparedImpl known = shapes.get(st.key());
    if (known != null && !session.current(known)) {
      shapes.remove(st.key()); // planned against an older catalog: its parameter types may differ
      known = null;
    }
    Session.PreparedImpl shaped = known;
    if (shaped == null && !session.blockFailed()) {
      try {
        shaped = (Session.PreparedImpl) session.prepareStatement(st.shape(), List.of(), false);
      } catch (SqlException e) {
        shaped = null; // the shape is not plannable as such: the text's own preparation reports why
      }
    }
    Session.LiteralPrepared fitted = shaped == null ? null : ifValuesFit(st, shaped);
    if (fitted != null) {
      shapes.put(st.key(), shaped);
      return fitted;
    }
    List<Statement> original = session.parse(st.sql()); // the literals' own types decide, as in PostgreSQL
    return session.prepare(original.get(0), List.of());
  }

}
