package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlLiteral;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.plan.StatementContext;

/**
 * {@code nextval}, {@code currval} and {@code setval} of a sequence named by a literal, as
 * {@code SELECT nextval('s')} and SERIAL columns call them. The session remembers each sequence's
 * last value for {@code currval}.
 */
final class SequenceCalls {
  private SequenceCalls() {}

  /** The next value of sequence {@code name} in the session's database; 42P01 if there is none. */
  static long nextval(StatementContext cx, String name) throws SqlException {
    Catalog.SequenceDesc seq = cx.catalog().sequence(cx.databaseId(), "public", name);
    if (seq == null) {
      throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
    }
    long v = cx.sequences().nextval(seq);
    cx.session().currvals().put(name, v);
    return v;
  }

  /** Runs a planned {@code SELECT nextval('s')}, {@code currval('s')} or {@code setval('s', n)}. */
  static MaterializedResult run(StatementContext cx, DmlPlan.SequenceCall p) throws SqlException {
    Catalog cat = cx.catalog();
    SqlCall call = p.call();
    String fn = call.getOperator().getName().toLowerCase();
    if (call.operandCount() < 1 || !(call.operand(0) instanceof SqlLiteral lit)) {
      throw SqlException.unsupported(fn + " with a non-literal argument");
    }
    String name = lit.getValueAs(String.class);
    long v;
    switch (fn) {
      case "nextval" -> v = nextval(cx, name);
      case "currval" -> {
        if (cat.sequence(cx.databaseId(), "public", name) == null) {
          throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
        }
        Long c = cx.session().currvals().get(name);
        if (c == null) {
          throw new SqlException("55000", "currval of sequence \"" + name + "\" is not yet defined in this session");
        }
        v = c;
      }
      default -> {
        if (call.operandCount() < 2 || !(call.operand(1) instanceof SqlLiteral n)) {
          throw SqlException.unsupported("setval with a non-literal value");
        }
        Catalog.SequenceDesc seq = cx.catalog().sequence(cx.databaseId(), "public", name);
        if (seq == null) {
          throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
        }
        v = n.getValueAs(Long.class);
        cx.sequences().setval(seq, v);
        cx.session().currvals().put(name, v);
      }
    }
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {v});
    return new MaterializedResult(p.columns(), rows, "SELECT 1", false);
  }
}
