package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Names unaliased output columns the way PostgreSQL does ({@code FigureColname}): a column
 * reference by its column, a function or aggregate call by the function, a cast by its operand's
 * name when that is a column or call and else by the type ({@code int4}, {@code numeric}), CASE
 * as {@code case}, anything else {@code ?column?}. Calcite would say {@code EXPR$n}.
 */
final class ColumnNames {
  private static final Pattern CALCITE_DERIVED = Pattern.compile("EXPR\\$\\d+");

  private ColumnNames() {}

  /**
   * PostgreSQL's names of the query's unaliased select items, or null when a {@code *} makes the
   * positions unknown before validation. NB: call before validation, which rewrites the select
   * list in place ({@code coalesce} becomes a CASE).
   */
  static List<String> figure(SqlNode query) {
    List<SqlNode> items = items(query);
    if (items == null || hasStar(items)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (SqlNode item : items) {
      out.add(item.getKind() == SqlKind.AS ? null : figureItem(item).name);
    }
    return out;
  }

  /**
   * The row type with Calcite-derived names replaced by PostgreSQL's: {@code figured} from
   * {@link #figure(SqlNode)}, else the validated query's (expanded) select list.
   */
  static RelDataType rename(RelDataType rowType, List<String> figured, SqlNode validated, RelDataTypeFactory f) {
    List<RelDataTypeField> fields = rowType.getFieldList();
    boolean any = false;
    for (RelDataTypeField fd : fields) {
      any |= CALCITE_DERIVED.matcher(fd.getName()).matches();
    }
    if (!any) {
      return rowType;
    }
    List<SqlNode> items = items(validated);
    if (figured != null && figured.size() != fields.size()) {
      figured = null;
    }
    if (figured == null && (items == null || items.size() != fields.size())) {
      return rowType;
    }
    List<String> names = new ArrayList<>();
    List<RelDataType> types = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).getName();
      if (CALCITE_DERIVED.matcher(name).matches()) {
        if (figured != null) {
          name = figured.get(i) == null ? name : figured.get(i);
        } else {
          SqlNode item = items.get(i);
          if (item.getKind() != SqlKind.AS) {
            name = figureItem(item).name;
          } else if (CALCITE_DERIVED.matcher(aliasOf((SqlCall) item)).matches()) {
            name = figureItem(((SqlCall) item).operand(0)).name;
          }
        }
      }
      names.add(name);
      types.add(fields.get(i).getType());
    }
    return f.createStructType(types, names);
  }

  private static boolean hasStar(List<SqlNode> items) {
    for (SqlNode n : items) {
      if (n instanceof SqlIdentifier id && id.isStar()) {
        return true;
      }
    }
    return false;
  }

  /** The select items that name the query's columns (the leftmost SELECT of a set operation). */
  private static List<SqlNode> items(SqlNode q) {
    while (true) {
      if (q instanceof SqlOrderBy ob) {
        q = ob.query;
      } else if (q instanceof SqlWith w) {
        q = w.body;
      } else if (q instanceof SqlSelect s) {
        return s.getSelectList() == null ? null : s.getSelectList().getList();
      } else if (q instanceof SqlBasicCall c && (q.getKind() == SqlKind.UNION || q.getKind() == SqlKind.INTERSECT
          || q.getKind() == SqlKind.EXCEPT)) {
        q = c.operand(0);
      } else {
        return null;
      }
    }
  }

  private record Figured(String name, int strength) {}

  private static final Figured UNKNOWN = new Figured("?column?", 0);

  private static Figured figureItem(SqlNode n) {
    if (n instanceof SqlIdentifier id) {
      return id.isStar() ? UNKNOWN : new Figured(id.names.get(id.names.size() - 1), 2);
    }
    if (n instanceof SqlIntervalLiteral) {
      return new Figured("interval", 1);
    }
    if (n instanceof SqlUnknownLiteral typed) {
      String tag = typed.tag.toLowerCase(Locale.ROOT);
      return new Figured(switch (tag) {
        case "timestamp with time zone" -> "timestamptz";
        case "timestamp with local time zone" -> "timestamptz";
        default -> tag;
      }, 1);
    }
    if (n instanceof SqlLiteral lit) {
      return switch (lit.getTypeName()) {
        case BOOLEAN -> new Figured("bool", 1);
        case DATE -> new Figured("date", 1);
        case TIME -> new Figured("time", 1);
        case TIMESTAMP -> new Figured("timestamp", 1);
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> new Figured("timestamptz", 1);
        default -> UNKNOWN;
      };
    }
    if (n instanceof SqlSelect sub) {
      List<SqlNode> items = sub.getSelectList() == null ? List.of() : sub.getSelectList().getList();
      if (items.isEmpty()) {
        return UNKNOWN;
      }
      SqlNode first = items.get(0);
      if (first.getKind() == SqlKind.AS) {
        return new Figured(aliasOf((SqlCall) first), 2);
      }
      Figured inner = figureItem(first);
      return inner.strength == 0 ? UNKNOWN : new Figured(inner.name, 2);
    }
    if (n instanceof SqlOrderBy ob) {
      return figureItem(ob.query);
    }
    if (!(n instanceof SqlCall call)) {
      return UNKNOWN;
    }
    switch (call.getKind()) {
      case CAST -> {
        Figured arg = figureItem(call.operand(0));
        if (arg.strength > 1) {
          return arg;
        }
        return call.operand(1) instanceof SqlDataTypeSpec spec ? new Figured(typeName(spec), 1) : arg;
      }
      case CASE -> {
        // PostgreSQL names a CASE after its ELSE result when that has a name ("x"), else "case"
        SqlNode otherwise = call instanceof org.apache.calcite.sql.fun.SqlCase c ? c.getElseOperand() : null;
        Figured e = otherwise == null ? UNKNOWN : figureItem(otherwise);
        return e.strength > 1 ? e : new Figured("case", 1);
      }
      case EXISTS -> {
        return new Figured("exists", 2);
      }
      case SCALAR_QUERY -> {
        return figureItem(call.operand(0));
      }
      case TRIM -> {
        String flag = call.operand(0) instanceof SqlLiteral l ? String.valueOf(l.getValue()) : "BOTH";
        return new Figured(flag.equals("LEADING") ? "ltrim" : flag.equals("TRAILING") ? "rtrim" : "btrim", 2);
      }
      case ROW -> {
        return new Figured("row", 2);
      }
      case ITEM -> {
        return figureItem(call.operand(0)); // PostgreSQL names a[1] "a"
      }
      case ARRAY_VALUE_CONSTRUCTOR, ARRAY_QUERY_CONSTRUCTOR -> {
        return new Figured("array", 2);
      }
      default -> { }
    }
    if (call.getOperator() instanceof SqlFunction fn) {
      String name = fn.getName();
      if (fn.getSqlIdentifier() != null && fn.getSqlIdentifier().names.size() > 0) {
        List<String> parts = fn.getSqlIdentifier().names;
        name = parts.get(parts.size() - 1);
      }
      if (name.chars().noneMatch(Character::isLetter)) {
        return UNKNOWN; // an operator the grammar made a call of its function (j -> 'a')
      }
      // Calcite's grammar parses translate(s, from, to) as its TRANSLATE3
      return new Figured(name.equalsIgnoreCase("TRANSLATE3") ? "translate" : name.toLowerCase(Locale.ROOT), 2);
    }
    return UNKNOWN;
  }

  private static String aliasOf(SqlCall as) {
    SqlNode alias = as.operand(1);
    return alias instanceof SqlIdentifier id ? id.getSimple() : alias.toString();
  }

  /** PostgreSQL's internal name of a cast's target type. */
  private static String typeName(SqlDataTypeSpec spec) {
    String raw = spec.getTypeName().getSimple().toLowerCase(Locale.ROOT);
    if (raw.endsWith("[]")) {
      raw = raw.substring(0, raw.length() - 2); // PostgreSQL names '{1}'::int[] "int4"
    }
    SqlTypeName t = SqlTypeName.get(raw.toUpperCase(Locale.ROOT));
    if (t == null) {
      return switch (raw) {
        case "text", "string" -> "text";
        case "int", "int4" -> "int4";
        case "int8" -> "int8";
        case "int2" -> "int2";
        case "float8" -> "float8";
        case "float4" -> "float4";
        case "bool" -> "bool";
        case "bytea" -> "bytea";
        case "timestamptz" -> "timestamptz";
        default -> raw;
      };
    }
    return switch (t) {
      case INTEGER -> "int4";
      case BIGINT -> "int8";
      case SMALLINT -> "int2";
      case TINYINT -> "int2";
      case REAL -> "float4";
      case FLOAT, DOUBLE -> "float8";
      case DECIMAL -> "numeric";
      case VARCHAR -> "varchar";
      case CHAR -> "bpchar";
      case BOOLEAN -> "bool";
      case DATE -> "date";
      case TIME -> "time";
      case TIMESTAMP -> "timestamp";
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> "timestamptz";
      case BINARY, VARBINARY -> "bytea";
      default -> raw;
    };
  }
}
