package org.troupedb.sql.internal.pgcatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Util;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * Turns the string literals a catalog query compares columns with ({@code c.oid = '16384'},
 * {@code c.relname OPERATOR(pg_catalog.~) '^(t1)$'}, {@code n.nspname LIKE 'public'}) into
 * parameters, so one plan serves every table psql's {@code \d TABLE} asks about: psql writes the
 * table's name and OID into the text of its queries, so each new table was a new text, planned
 * from scratch (a second or more).
 *
 * <p>The shape key is the SQL text with exactly those literals' spans masked: two texts share a
 * key only if they differ in nothing but those literals' values, which are bound per execution.
 * Only texts that name {@code pg_catalog} or {@code information_schema} are considered.
 */
public final class CatalogLiterals {
  private static final Set<SqlOperator> COMPARISONS = Set.of(SqlStdOperatorTable.EQUALS,
      SqlStdOperatorTable.NOT_EQUALS, SqlStdOperatorTable.LIKE, SqlStdOperatorTable.NOT_LIKE,
      SqlStdOperatorTable.POSIX_REGEX_CASE_SENSITIVE, SqlStdOperatorTable.POSIX_REGEX_CASE_INSENSITIVE,
      SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_SENSITIVE, SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_INSENSITIVE);

  /**
   * A parameterized query: its shape key, the node with {@code ?}s, the number of the query's own
   * parameters (the literals' come after them), the literals' values in order, and whether the
   * plan may serve every database (no {@code current_database()} was left in the text).
   */
  public record Shape(String key, SqlNode node, int first, List<String> values, boolean anyDatabase) {}

  private CatalogLiterals() {}

  /**
   * The shape of {@code node} (parsed from {@code sql}) with its column-comparing string literals
   * and its {@code current_database()} calls (as {@code CAST(? AS text)} bound to
   * {@code database}) as parameters numbered after the query's own, or null when there is none or
   * the text is not a catalog query.
   */
  public static Shape parameterize(String sql, SqlNode node, String database) {
    if (!namesCatalog(sql)) {
      return null;
    }
    int first = parameterCount(node);
    List<int[]> spans = new ArrayList<>();
    List<String> values = new ArrayList<>();
    int[] lineStarts = lineStarts(sql);
    int[] databaseCalls = {0};
    Set<SqlNode> databaseParams = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    SqlNode shaped = node.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        if (isCurrentDatabase(call)) {
          int[] span = span(sql, lineStarts, call.getParserPosition());
          if (span != null && CURRENT_DATABASE.matcher(sql.substring(span[0], span[1])).matches()) {
            spans.add(span);
            values.add(database);
            databaseCalls[0]++;
            SqlParserPos pos = call.getParserPosition();
            SqlDynamicParam value = new SqlDynamicParam(first + values.size() - 1, pos);
            SqlDataTypeSpec text = new SqlDataTypeSpec(new SqlPgTypeNameSpec("text", SqlPgTypeNameSpec.UNSPECIFIED,
                SqlPgTypeNameSpec.UNSPECIFIED, false, pos), pos);
            SqlNode param = SqlStdOperatorTable.CAST.createCall(pos, value, text);
            databaseParams.add(param);
            return param;
          }
        }
        SqlCall visited = (SqlCall) super.visit(call);
        if (visited == null || !COMPARISONS.contains(visited.getOperator()) || visited.operandCount() != 2) {
          return visited;
        }
        for (int i = 0; i < 2; i++) {
          if (visited.operand(i) instanceof SqlCharStringLiteral literal
              && visited.operand(1 - i) instanceof SqlIdentifier) {
            int[] span = span(sql, lineStarts, literal.getParserPosition());
            if (span != null && sql.charAt(span[0]) == '\'' && sql.charAt(span[1] - 1) == '\'') {
              spans.add(span);
              values.add(literal.getValueAs(String.class));
              visited.setOperand(i, new SqlDynamicParam(first + values.size() - 1, literal.getParserPosition()));
            }
          }
        }
        return visited;
      }
    });
    if (values.isEmpty()) {
      return null;
    }
    nameDatabaseColumns(shaped, databaseParams);
    spans.sort((a, b) -> Integer.compare(a[0], b[0]));
    StringBuilder key = new StringBuilder("catalog-shape:");
    int at = 0;
    for (int[] span : spans) {
      key.append(sql, at, span[0]).append("\u0000");
      at = span[1];
    }
    key.append(sql, at, sql.length());
    boolean anyDatabase = occurrences(sql.toLowerCase(Locale.ROOT), "current_database") == databaseCalls[0];
    return new Shape(key.toString(), shaped, first, List.copyOf(values), anyDatabase);
  }

  private static final Pattern CURRENT_DATABASE =
      Pattern.compile("(?i)(pg_catalog\\s*\\.\\s*)?current_database\\s*\\(\\s*\\)");

  /**
   * A select item that was {@code current_database()} keeps that column name, as in PostgreSQL
   * (the parameter's cast would name it {@code text}).
   */
  private static void nameDatabaseColumns(SqlNode shaped, Set<SqlNode> databaseParams) {
    if (databaseParams.isEmpty()) {
      return;
    }
    shaped.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlSelect select) {
          SqlNodeList items = select.getSelectList();
          for (int i = 0; items != null && i < items.size(); i++) {
            SqlNode item = items.get(i);
            if (databaseParams.contains(item)) {
              items.set(i, SqlStdOperatorTable.AS.createCall(item.getParserPosition(), item,
                  new SqlIdentifier("current_database", item.getParserPosition())));
            }
          }
        }
        return super.visit(call);
      }
    });
  }

  private static boolean isCurrentDatabase(SqlCall call) {
    if (call.operandCount() != 0 || !(call.getOperator() instanceof SqlFunction f)) {
      return false;
    }
    String name = f.getSqlIdentifier() != null && !f.getSqlIdentifier().names.isEmpty()
        ? Util.last(f.getSqlIdentifier().names) : f.getName();
    return name.equalsIgnoreCase("current_database");
  }

  private static int occurrences(String text, String word) {
    int n = 0;
    for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
      n++;
    }
    return n;
  }

  /** Whether {@code sql} names pg_catalog or information_schema (cheap: no parsing). */
  public static boolean namesCatalog(String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    return lower.contains("pg_catalog") || lower.contains("information_schema");
  }

  /** One more than the highest {@code $n} index in {@code node} (0 when it has none). */
  static int parameterCount(SqlNode node) {
    int[] max = {0};
    node.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlDynamicParam param) {
        max[0] = Math.max(max[0], param.getIndex() + 1);
        return null;
      }
    });
    return max[0];
  }

  /** [start, end) of a node's text in {@code sql}, or null if its position is not inside the text. */
  private static int[] span(String sql, int[] lineStarts, SqlParserPos pos) {
    if (pos.getLineNum() < 1 || pos.getEndLineNum() < 1 || pos.getLineNum() > lineStarts.length
        || pos.getEndLineNum() > lineStarts.length) {
      return null;
    }
    int start = lineStarts[pos.getLineNum() - 1] + pos.getColumnNum() - 1;
    int end = lineStarts[pos.getEndLineNum() - 1] + pos.getEndColumnNum();
    if (start < 0 || end > sql.length() || start >= end) {
      return null;
    }
    return new int[] {start, end};
  }

  private static int[] lineStarts(String sql) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }
}
