package org.troupedb.sql.internal.plan;

import java.util.Locale;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * Checks string literals cast to a number or boolean ({@code 'abc'::integer}, {@code CAST('x' AS
 * boolean)}) before planning, as PostgreSQL does while parsing: bad text is 22P02 {@code invalid
 * input syntax for type integer: "abc"} at the literal's position, whether or not a row is ever
 * read; likewise uuid. Other types (and out-of-range numbers) are left to execution.
 */
public final class LiteralCasts {
  private LiteralCasts() {}

  /** Throws the 22P02 of the first string literal in {@code node} its cast target type cannot read. */
  public static void check(SqlNode node) throws SqlException {
    forEachCastLiteral(node, (call, lit, spec) -> checkLiteral(lit, target(spec)));
  }

  /** What to do with one {@code CAST('text' AS type)}; may throw {@link SqlRuntimeException}. */
  private interface CastLiteral {
    void accept(SqlCall cast, SqlLiteral text, SqlDataTypeSpec type);
  }

  /** Calls {@code action} for each string literal cast to a type in {@code node}. */
  private static void forEachCastLiteral(SqlNode node, CastLiteral action) throws SqlException {
    try {
      node.accept(new SqlBasicVisitor<Void>() {
        @Override
        public Void visit(SqlCall call) {
          if (call.getKind() == SqlKind.CAST && call.operandCount() == 2
              && call.operand(0) instanceof SqlLiteral lit && lit.getTypeName() == SqlTypeName.CHAR
              && call.operand(1) instanceof SqlDataTypeSpec spec) {
            action.accept(call, lit, spec);
          }
          return super.visit(call);
        }
      });
    } catch (SqlRuntimeException e) {
      throw e.sqlException();
    }
  }

  private static void checkLiteral(SqlLiteral lit, PgType type) {
    if (type == null) {
      return;
    }
    String text = lit.getValueAs(String.class);
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (type == PgType.NUMERIC && (t.equals("nan") || t.endsWith("infinity"))) {
      return; // accepted by PostgreSQL; execution decides what TroupeDB does with it
    }
    try {
      ColumnType.of(type).coerce(text);
    } catch (SqlException e) {
      if (SqlState.INVALID_TEXT_REPRESENTATION.equals(e.sqlState())) {
        throw new SqlRuntimeException(Errors.at(e.sqlState(), e.getMessage(), lit.getParserPosition()));
      }
    }
  }

  private static final java.util.regex.Pattern ISO_DATE_TIME =
      java.util.regex.Pattern.compile("^(\\s*[+-]?\\d{4,}-\\d{1,2}-\\d{1,2})[Tt](\\d)");
  /** A date with a time of day (and zone), which a cast to date reads as the date alone. */
  private static final java.util.regex.Pattern DATE_AND_TIME = java.util.regex.Pattern.compile(
      "^\\s*([+-]?\\d{4,}-\\d{1,2}-\\d{1,2})[Tt ]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d*)?)?([+-]\\d{1,2}(:?\\d{2})?|Z)?\\s*$");

  /**
   * Rewrites, in place, string literals cast to types whose text input PostgreSQL reads more
   * liberally than Calcite's constant folding: {@code '2024-05-06T07:08:09'::date/timestamp[tz]}
   * (ISO 8601 'T', as psycopg2 sends datetimes) gets a blank for the 'T' (and a cast to date
   * keeps the date of a date and time), and
   * {@code '\x0001ff'::bytea} (hex or escape format) becomes the binary literal it denotes
   * (Calcite would take the text's own bytes).
   */
  static void normalize(SqlNode node) throws SqlException {
    forEachCastLiteral(node, LiteralCasts::normalizeLiteral);
  }

  private static void normalizeLiteral(SqlCall call, SqlLiteral lit, SqlDataTypeSpec spec) {
    PgType type = castType(spec);
    String text = lit.getValueAs(String.class);
    if (type == PgType.DATE) {
      java.util.regex.Matcher m = DATE_AND_TIME.matcher(text);
      if (m.find()) {
        call.setOperand(0, SqlLiteral.createCharString(m.group(1).trim(), lit.getParserPosition()));
      }
    } else if (type == PgType.TIMESTAMP || type == PgType.TIMESTAMPTZ) {
      java.util.regex.Matcher m = ISO_DATE_TIME.matcher(text);
      if (m.find()) {
        call.setOperand(0, SqlLiteral.createCharString(m.replaceFirst("$1 $2"), lit.getParserPosition()));
      }
    } else if (type == PgType.TIME) {
      try { // time_in's forms ('04:05', '4:05 PM', '040506') in the one form Calcite's cast reads
        call.setOperand(0, SqlLiteral.createCharString(
            org.troupedb.sql.internal.types.PgTime.format(org.troupedb.sql.internal.types.PgTime.parse(text)),
            lit.getParserPosition()));
      } catch (SqlException e) {
        throw new SqlRuntimeException(Errors.at(e.sqlState(), e.getMessage(), lit.getParserPosition()));
      }
    } else if (type == PgType.UUID) {
      try { // uuid_in's forms (braces, no hyphens, upper case) in the one form Calcite's cast reads
        call.setOperand(0, SqlLiteral.createCharString(
            org.troupedb.sql.internal.types.PgUuid.parse(text).toString(), lit.getParserPosition()));
      } catch (SqlException e) {
        throw new SqlRuntimeException(Errors.at(e.sqlState(), e.getMessage(), lit.getParserPosition()));
      }
    } else if (type == PgType.JSON || type == PgType.JSONB) {
      try { // checked (and jsonb normalised) while planning, at the literal, as PostgreSQL does
        String json = type == PgType.JSONB ? org.troupedb.sql.internal.types.PgJson.normalise(text)
            : org.troupedb.sql.internal.types.PgJson.checkJson(text);
        call.setOperand(0, SqlLiteral.createCharString(json, lit.getParserPosition()));
      } catch (SqlException e) {
        throw new SqlRuntimeException(Errors.at(e, lit.getParserPosition()));
      }
    } else if (type == PgType.INTERVAL) {
      try { // interval_in's forms, read while planning, at the literal, as PostgreSQL does
        // as pg_interval_in('<internal text>'): a call, which Calcite does not fold into a literal
        // (it would compare two interval literals as strings)
        call.setOperand(0, org.troupedb.sql.internal.functions.IntervalFunctions.inCall(SqlLiteral.createCharString(
            org.troupedb.sql.internal.types.PgIntervalText.encode(org.troupedb.sql.internal.types.PgIntervalText.parse(text)),
            lit.getParserPosition())));
      } catch (SqlException e) {
        throw new SqlRuntimeException(Errors.at(e.sqlState(), e.getMessage(), lit.getParserPosition()));
      }
    } else if (type == PgType.BYTEA) {
      try {
        call.setOperand(0, SqlLiteral.createBinaryString(ColumnType.parseBytea(text), lit.getParserPosition()));
      } catch (SqlException e) {
        throw new SqlRuntimeException(Errors.at(e.sqlState(), e.getMessage(), lit.getParserPosition()));
      }
    }
  }

  /** A cast's target type, or null when it is not a PostgreSQL type or a plain SQL type name. */
  private static PgType castType(SqlDataTypeSpec spec) {
    if (spec.getTypeNameSpec() instanceof SqlPgTypeNameSpec pg) {
      return pg.pgType();
    }
    if (spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic) {
      SqlTypeName n = SqlTypeName.get(basic.getTypeName().getSimple().toUpperCase(Locale.ROOT));
      return n == null ? null : switch (n) {
        case DATE -> PgType.DATE;
        case TIMESTAMP -> PgType.TIMESTAMP;
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> PgType.TIMESTAMPTZ;
        case BINARY, VARBINARY -> PgType.BYTEA;
        case UUID -> PgType.UUID;
        case TIME -> PgType.TIME;
        default -> null;
      };
    }
    return null;
  }

  /** The checked target type of a cast, or null for a type this check leaves alone. */
  private static PgType target(SqlDataTypeSpec spec) {
    PgType t = null;
    if (spec.getTypeNameSpec() instanceof SqlPgTypeNameSpec pg) {
      t = pg.pgType();
    } else if (spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic) {
      SqlTypeName n = SqlTypeName.get(basic.getTypeName().getSimple().toUpperCase(Locale.ROOT));
      t = n == null ? null : switch (n) {
        case BOOLEAN -> PgType.BOOL;
        case SMALLINT -> PgType.INT2;
        case INTEGER -> PgType.INT4;
        case BIGINT -> PgType.INT8;
        case DECIMAL -> PgType.NUMERIC;
        case UUID -> PgType.UUID;
        default -> null;
      };
    }
    return t == PgType.BOOL || t == PgType.INT2 || t == PgType.INT4 || t == PgType.INT8 || t == PgType.NUMERIC
        || t == PgType.UUID ? t : null;
  }
}
