package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.util.BuiltInMethod;
import org.apache.calcite.util.TimestampString;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.PgTimestamps;

/**
 * Microsecond timestamps on Calcite's millisecond executor. TroupeDB's timestamp values are
 * microseconds since the epoch ({@link ColumnType}); Calcite's generated code reads a timestamp as
 * milliseconds. Before planning, every expression is rewritten so the two never meet:
 *
 * <pre>
 *   timestamp literal          → pg_timestamp_in('text')          (VALUES rows: BIGINT µs + a Project)
 *   text::timestamp[tz]         → pg_timestamp_in / pg_timestamptz_in (µs; no offset: session zone)
 *   timestamp[tz]::text         → pg_timestamp_out (µs, PostgreSQL's format, session zone)
 *   timestamp ↔ timestamptz     → pg_timestamp_timestamptz / pg_timestamptz_timestamp (µs, session zone)
 *   =, <, IS NULL, CASE, COALESCE … over timestamps   unchanged (µs on both sides)
 *   any other call f(ts) → f(pg_ts_to_millis(ts));  a call yielding a timestamp g(…) → pg_ts_from_millis(g(…))
 * </pre>
 *
 * So comparisons, sorting, grouping, storage and the wire keep microseconds, while Calcite's
 * arithmetic, extract, date_trunc and casts to date see milliseconds (their results have millisecond
 * precision). NB: the conversion calls are not deterministic, so the planner never folds them into
 * literals (it would read a literal's value as milliseconds).
 */
public final class PgTimestampMicros {
  private PgTimestampMicros() {}

  static final SqlOperator TO_MILLIS = udf("pg_ts_to_millis", "toMillis", false);
  static final SqlOperator FROM_MILLIS = udf("pg_ts_from_millis", "fromMillis", false);
  static final SqlOperator MICROS = udf("pg_ts_micros", "identity", false);
  static final SqlOperator TIMESTAMP_IN = udf("pg_timestamp_in", "timestampIn", false);
  static final SqlOperator TIMESTAMP_OUT = udf("pg_timestamp_out", "timestampOut", true);
  static final SqlOperator TIMESTAMPTZ_IN = udf("pg_timestamptz_in", "timestampTzIn", true);
  static final SqlOperator TS_TO_TSTZ = udf("pg_timestamp_timestamptz", "timestampToTimestampTz", true);
  static final SqlOperator TSTZ_TO_TS = udf("pg_timestamptz_timestamp", "timestampTzToTimestamp", true);

  /** Kinds whose timestamp operands may stay microseconds: they only compare or pass values on. */
  private static final Set<SqlKind> PASS_THROUGH = Set.of(SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN,
      SqlKind.LESS_THAN_OR_EQUAL, SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL, SqlKind.IS_DISTINCT_FROM,
      SqlKind.IS_NOT_DISTINCT_FROM, SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.CASE, SqlKind.COALESCE,
      SqlKind.NULLIF, SqlKind.GREATEST, SqlKind.LEAST, SqlKind.AND, SqlKind.OR, SqlKind.NOT,
      // arrays hold their timestamp elements as microseconds, as columns do
      SqlKind.ITEM, SqlKind.ARRAY_VALUE_CONSTRUCTOR);

  public static long toMillis(long micros) {
    return Math.floorDiv(micros, 1000L);
  }

  public static long fromMillis(long millis) {
    return Math.multiplyExact(millis, 1000L);
  }

  public static long identity(long micros) {
    return micros;
  }

  /** Text to timestamp (without time zone): an offset in the text is ignored, as PostgreSQL does. */
  public static long timestampIn(String text) {
    try {
      return ColumnType.micros(PgTimestamps.parseLocal(text).toInstant(java.time.ZoneOffset.UTC));
    } catch (IllegalArgumentException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.INVALID_DATETIME_FORMAT,
          "invalid input syntax for type timestamp: \"" + text + "\""));
    }
  }

  /**
   * Text to timestamptz: the instant the text names; text without an offset is local time in the
   * session's zone ({@code '2024-01-01 10:00'::timestamptz} is 10:00 where the session is).
   */
  public static long timestampTzIn(String text, TimeZone zone) {
    try {
      return ColumnType.micros(PgTimestamps.parseTimestampTz(text, zone.toZoneId()));
    } catch (IllegalArgumentException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.INVALID_DATETIME_FORMAT,
          "invalid input syntax for type timestamp with time zone: \"" + text + "\""));
    }
  }

  /** A timestamp as the instant it names in the session's zone. */
  public static long timestampToTimestampTz(long micros, TimeZone zone) {
    java.time.LocalDateTime local = java.time.LocalDateTime.ofInstant(ColumnType.instant(micros),
        java.time.ZoneOffset.UTC);
    return ColumnType.micros(local.atZone(zone.toZoneId()).toInstant());
  }

  /** A timestamptz as the local time of the session's zone. */
  public static long timestampTzToTimestamp(long micros, TimeZone zone) {
    java.time.LocalDateTime local = java.time.LocalDateTime.ofInstant(ColumnType.instant(micros), zone.toZoneId());
    return ColumnType.micros(local.toInstant(java.time.ZoneOffset.UTC));
  }

  /** PostgreSQL's text of a timestamp ({@code zone} null) or timestamptz (in {@code zone}, with its offset). */
  public static String timestampOut(long micros, boolean withZone, TimeZone zone) {
    java.time.Instant i = ColumnType.instant(micros);
    java.time.ZoneOffset offset = withZone ? zone.toZoneId().getRules().getOffset(i) : java.time.ZoneOffset.UTC;
    java.time.LocalDateTime t = java.time.LocalDateTime.ofInstant(i, offset);
    StringBuilder sb = new StringBuilder(ColumnType.text(ColumnType.of(org.troupedb.sql.PgType.TIMESTAMP),
        ColumnType.micros(t.toInstant(java.time.ZoneOffset.UTC))));
    if (withZone) {
      int secs = offset.getTotalSeconds();
      sb.append(secs < 0 ? '-' : '+');
      secs = Math.abs(secs);
      sb.append(String.format(java.util.Locale.ROOT, "%02d", secs / 3600));
      if (secs % 3600 != 0) {
        sb.append(String.format(java.util.Locale.ROOT, ":%02d", secs % 3600 / 60));
      }
    }
    return sb.toString();
  }

  /** Rewrites {@code rel}'s expressions as the class comment says. */
  static RelNode rewrite(RelNode rel) {
    RexBuilder rb = rel.getCluster().getRexBuilder();
    RexShuttle rex = new RexShuttle() {
      @Override
      public RexNode visitLiteral(RexLiteral lit) {
        TimestampString t = isTimestamp(lit.getType()) ? lit.getValueAs(TimestampString.class) : null;
        if (t != null) {
          return rb.makeCall(lit.getType(), TIMESTAMP_IN, List.of(rb.makeLiteral(t.toString())));
        }
        return lit;
      }

      @Override
      public RexNode visitSubQuery(org.apache.calcite.rex.RexSubQuery subQuery) {
        org.apache.calcite.rex.RexSubQuery visited = (org.apache.calcite.rex.RexSubQuery) super.visitSubQuery(subQuery);
        return visited.clone(rewrite(visited.rel));
      }

      @Override
      public RexNode visitCall(RexCall call) {
        if (call.getKind() == SqlKind.SEARCH && isTimestamp(call.getOperands().get(0).getType())) {
          return RexUtil.expandSearch(rb, null, call).accept(this);
        }
        RexCall c = (RexCall) super.visitCall(call);
        SqlOperator op = c.getOperator();
        if (op == MICROS || op == TS_TO_TSTZ || op == TSTZ_TO_TS || op == TO_MILLIS || op == FROM_MILLIS || op == TIMESTAMP_IN || op == TIMESTAMP_OUT
            || op == TIMESTAMPTZ_IN || op instanceof PgScalarFunctions.PgFunction || PASS_THROUGH.contains(c.getKind())
            || op == ArrayFunctions.QUANTIFY || op == ArrayFunctions.ARRAY_POSITION) {
          return c;
        }
        if (c.getKind() == SqlKind.CAST) {
          RexNode arg = c.getOperands().get(0);
          SqlTypeName from = arg.getType().getSqlTypeName();
          SqlTypeName to = c.getType().getSqlTypeName();
          if (from == to && isTimestamp(c.getType())) {
            return c;
          }
          if (isTimestamp(c.getType()) && (from == SqlTypeName.CHAR || from == SqlTypeName.VARCHAR)) {
            return rb.makeCall(c.getType(), to == SqlTypeName.TIMESTAMP ? TIMESTAMP_IN : TIMESTAMPTZ_IN, List.of(arg));
          }
          if (isTimestamp(arg.getType()) && isTimestamp(c.getType())) {
            return rb.makeCall(c.getType(), from == SqlTypeName.TIMESTAMP ? TS_TO_TSTZ : TSTZ_TO_TS,
                List.of(arg));
          }
          if (isTimestamp(arg.getType()) && (to == SqlTypeName.CHAR || to == SqlTypeName.VARCHAR)) {
            RexNode out = rb.makeCall(rb.getTypeFactory().createTypeWithNullability(
                rb.getTypeFactory().createSqlType(SqlTypeName.VARCHAR), c.getType().isNullable()), TIMESTAMP_OUT,
                List.of(arg, rb.makeLiteral(from == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE)));
            return rb.makeCast(c.getType(), out);
          }
        }
        List<RexNode> ops = new ArrayList<>();
        boolean changed = false;
        for (RexNode o : c.getOperands()) {
          if (isTimestamp(o.getType())) {
            ops.add(rb.makeCall(o.getType(), TO_MILLIS, List.of(o)));
            changed = true;
          } else {
            ops.add(o);
          }
        }
        RexNode out = changed ? c.clone(c.getType(), ops) : c;
        return isTimestamp(c.getType()) ? rb.makeCall(c.getType(), FROM_MILLIS, List.of(out)) : out;
      }
    };
    return rel.accept(new RelHomogeneousShuttle() {
      @Override
      public RelNode visit(RelNode other) {
        RelNode visited = super.visit(other);
        if (visited instanceof LogicalValues values && values.getRowType().getFieldList().stream()
            .anyMatch(f -> isTimestamp(f.getType()))) {
          return values(rb, values);
        }
        return visited.accept(rex);
      }
    });
  }

  /** VALUES with timestamp columns: the µs as BIGINT literals, typed back to timestamps by a Project. */
  private static RelNode values(RexBuilder rb, LogicalValues values) {
    RelDataTypeFactory f = rb.getTypeFactory();
    List<RelDataTypeField> fields = values.getRowType().getFieldList();
    RelDataTypeFactory.Builder types = f.builder();
    for (RelDataTypeField field : fields) {
      types.add(field.getName(), isTimestamp(field.getType())
          ? f.createTypeWithNullability(f.createSqlType(SqlTypeName.BIGINT), field.getType().isNullable())
          : field.getType());
    }
    RelDataType rowType = types.build();
    List<List<RexLiteral>> tuples = new ArrayList<>();
    for (List<RexLiteral> tuple : values.getTuples()) {
      List<RexLiteral> row = new ArrayList<>();
      for (int i = 0; i < tuple.size(); i++) {
        RexLiteral lit = tuple.get(i);
        if (isTimestamp(fields.get(i).getType())) {
          TimestampString t = lit.getValueAs(TimestampString.class);
          row.add(t != null
              ? rb.makeExactLiteral(BigDecimal.valueOf(micros(t)), rowType.getFieldList().get(i).getType())
              : (RexLiteral) rb.makeNullLiteral(rowType.getFieldList().get(i).getType()));
        } else {
          row.add(lit);
        }
      }
      tuples.add(row);
    }
    RelNode input = LogicalValues.create(values.getCluster(), rowType,
        com.google.common.collect.ImmutableList.copyOf(tuples.stream()
            .map(com.google.common.collect.ImmutableList::copyOf).toList()));
    List<RexNode> projects = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      RexNode ref = rb.makeInputRef(input, i);
      projects.add(isTimestamp(fields.get(i).getType())
          ? rb.makeCall(fields.get(i).getType(), MICROS, List.of(ref)) : ref);
    }
    return LogicalProject.create(input, List.of(), projects, values.getRowType().getFieldNames(), Set.of());
  }

  private static long micros(TimestampString t) {
    return ColumnType.micros(java.time.LocalDateTime.parse(t.toString().replace(' ', 'T'))
        .toInstant(java.time.ZoneOffset.UTC));
  }

  private static boolean isTimestamp(RelDataType t) {
    return t.getSqlTypeName() == SqlTypeName.TIMESTAMP
        || t.getSqlTypeName() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
  }

  private static SqlOperator udf(String name, String method, boolean withZone) {
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
        ReturnTypes.ARG0, null, null, new Function(method, withZone)) {
      @Override
      public boolean isDeterministic() {
        return false;
      }
    };
  }

  /** A static method of this class, called with the operands (and the session zone when asked). */
  private record Function(String method, boolean withZone) implements CodeFunction {
    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, operands) -> {
        List<Expression> args = new ArrayList<>();
        for (int i = 0; i < operands.size(); i++) {
          SqlTypeName t = call.getOperands().get(i).getType().getSqlTypeName();
          args.add(Expressions.convert_(operands.get(i), t == SqlTypeName.VARCHAR || t == SqlTypeName.CHAR
              ? String.class : t == SqlTypeName.BOOLEAN ? boolean.class : long.class));
        }
        if (withZone) {
          args.add(Expressions.call(BuiltInMethod.TIME_ZONE.method, translator.getRoot()));
        }
        return Expressions.call(PgTimestampMicros.class, method, args);
      }, NullPolicy.STRICT, false);
    }
  }
}
