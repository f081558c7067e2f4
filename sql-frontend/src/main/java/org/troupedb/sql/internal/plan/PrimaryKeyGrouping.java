package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.troupedb.sql.internal.catalog.TableDesc;

/**
 * PostgreSQL's functional dependency in GROUP BY: when a query groups by every primary-key column
 * of a table in its FROM clause, the table's other columns may be selected without being grouped
 * ({@code SELECT id, name FROM users GROUP BY id}). Done on the AST before validation by adding
 * those columns to the GROUP BY: they are determined by the key, so the groups are the same, and
 * the strict validator ({@link PgConformance}) then accepts them.
 *
 * <p>Only plain GROUP BY lists of columns are extended (no GROUPING SETS, ROLLUP or CUBE); a
 * grouped key column is recognised qualified by the table's name or alias, or unqualified when
 * the FROM clause holds that one table. A table whose key is the hidden {@code rowid} is left
 * alone. NB: the statement's node is changed in place, and doing so twice adds nothing more.
 */
public final class PrimaryKeyGrouping {
  private PrimaryKeyGrouping() {}

  /** Extends the GROUP BY of every SELECT in {@code node}; {@code tables} finds a table by name (or null). */
  public static void extend(SqlNode node, Function<String, TableDesc> tables) {
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select) {
          extendOne(select, tables);
        }
        return super.visit(call);
      }
    });
  }

  private static void extendOne(SqlSelect select, Function<String, TableDesc> tables) {
    SqlNodeList group = select.getGroup();
    if (group == null || group.isEmpty() || select.getFrom() == null) {
      return;
    }
    for (SqlNode g : group) {
      if (!(g instanceof SqlIdentifier)) {
        return;
      }
    }
    Map<String, TableDesc> byAlias = new HashMap<>();
    if (!collect(select.getFrom(), tables, byAlias)) {
      return;
    }
    List<SqlNode> added = new ArrayList<>();
    for (Map.Entry<String, TableDesc> e : byAlias.entrySet()) {
      TableDesc t = e.getValue();
      boolean allKey = true;
      for (int k : t.primary().columns()) {
        TableDesc.Column c = t.columns().get(k);
        if (c.hidden() || !grouped(group, e.getKey(), c.name(), byAlias.size() == 1)) {
          allKey = false;
          break;
        }
      }
      if (!allKey) {
        continue;
      }
      for (TableDesc.Column c : t.columns()) {
        if (!c.hidden() && !grouped(group, e.getKey(), c.name(), byAlias.size() == 1)) {
          added.add(new SqlIdentifier(List.of(e.getKey(), c.name()), SqlParserPos.ZERO));
        }
      }
    }
    if (!added.isEmpty()) {
      List<SqlNode> all = new ArrayList<>(group.getList());
      all.addAll(added);
      select.setGroupBy(new SqlNodeList(all, group.getParserPosition()));
    }
  }

  private static boolean grouped(SqlNodeList group, String alias, String column, boolean single) {
    for (SqlNode g : group) {
      List<String> names = ((SqlIdentifier) g).names;
      if (names.size() == 2 && names.get(0).equals(alias) && names.get(1).equals(column)) {
        return true;
      }
      if (single && names.size() == 1 && names.get(0).equals(column)) {
        return true;
      }
    }
    return false;
  }

  /** The tables of a FROM clause by alias; false when an item is not a table of the public schema. */
  private static boolean collect(SqlNode from, Function<String, TableDesc> tables, Map<String, TableDesc> out) {
    if (from instanceof SqlJoin join) {
      return collect(join.getLeft(), tables, out) && collect(join.getRight(), tables, out);
    }
    String alias;
    SqlNode table = from;
    if (from.getKind() == SqlKind.AS && from instanceof SqlBasicCall as && as.operandCount() == 2
        && as.operand(1) instanceof SqlIdentifier a && a.isSimple()) {
      alias = a.getSimple();
      table = as.operand(0);
    } else {
      alias = null;
    }
    if (!(table instanceof SqlIdentifier id)) {
      return false; // a derived table, VALUES or a function: its columns could make a bare name ambiguous
    }
    List<String> names = id.names;
    String name = names.get(names.size() - 1);
    if (names.size() > 2 || (names.size() == 2 && !names.get(0).equals("public"))) {
      return false;
    }
    TableDesc t = tables.apply(name);
    if (t == null) {
      return false;
    }
    out.put(alias == null ? name : alias, t);
    return true;
  }
}
