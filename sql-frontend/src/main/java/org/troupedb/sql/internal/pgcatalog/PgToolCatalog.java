package org.troupedb.sql.internal.pgcatalog;

import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.FLOAT4;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT4;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.OID;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.TEXT;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.schema.Table;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlVisitor;
import org.troupedb.sql.internal.catalog.PgOids;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.functions.ArrayTextCasts;

/**
 * Catalog functions that migration tools and ORMs call in their introspection (SQLAlchemy's
 * PostgreSQL dialect, Flyway), kept apart from psql's: {@code pg_get_serial_sequence(table,
 * column)} answers from {@code pg_catalog."$serialsequence"} ($relation, $column, $sequence), one
 * row per SERIAL column under each spelling of its table a caller may pass (name, public.name and
 * the OID's digits, which is what {@code oid::regclass::text} gives here); {@code pg_enum}, empty
 * (there are no enum types); {@code pg_depend}, empty (Flyway anti-joins it); and a cast of
 * pg_index's and pg_constraint's vector columns to text ({@code ix.indkey::varchar}) as their
 * PostgreSQL text form ({@link ArrayTextCasts}).
 */
final class PgToolCatalog {
  private static final SqlParserPos POS = SqlParserPos.ZERO;
  private static final String ALIAS = "$pgtool";

  private PgToolCatalog() {}

  static void add(Map<String, Table> m, List<TableDesc> tables) {
    // no enum types (CREATE TYPE ... AS ENUM is 0A000): SQLAlchemy's reflection reads it anyway
    // no recorded dependencies (extensions, views); Flyway's "is the schema empty" queries anti-join it
    m.put("pg_depend", VirtualTable.empty("classid", OID, "objid", OID, "objsubid", INT4, "refclassid", OID,
        "refobjid", OID, "refobjsubid", INT4, "deptype", TEXT));
    m.put("pg_enum", VirtualTable.empty("oid", OID, "enumtypid", OID, "enumsortorder", FLOAT4, "enumlabel", TEXT));
    m.put("$serialsequence", VirtualTable.of(r -> {
      for (TableDesc t : tables) {
        for (TableDesc.Column c : t.columns()) {
          if (c.sequence() != null && !c.hidden()) {
            String seq = "public." + PgDefinitions.quoteIdent(c.sequence());
            for (String rel : List.of(PgDefinitions.quoteIdent(t.name()), "public." + PgDefinitions.quoteIdent(t.name()),
                Long.toString(PgOids.relation(t.id())))) {
              r.add(rel, c.name(), seq);
            }
          }
        }
      }
    }, "$relation", TEXT, "$column", TEXT, "$sequence", TEXT));
  }

  /** The replacement of a call this class answers (operands rewritten by {@code shuttle}), else null. */
  static SqlNode rewrite(SqlCall call, SqlVisitor<SqlNode> shuttle) {
    if (call.getKind() == SqlKind.CAST && call.operandCount() == 2 && isVectorColumn(call.operand(0))
        && call.operand(1) instanceof SqlDataTypeSpec spec && TEXT_TYPES.contains(
            spec.getTypeName().getSimple().toLowerCase(Locale.ROOT))) {
      return ArrayTextCasts.call(call.operand(0).accept(shuttle));
    }
    if (!(call.getOperator() instanceof SqlUnresolvedFunction f)) {
      return null;
    }
    List<SqlNode> args = call.getOperandList();
    if (f.getName().toLowerCase(Locale.ROOT).equals("pg_get_serial_sequence") && args.size() == 2) {
      SqlNode where = SqlStdOperatorTable.AND.createCall(POS,
          eq("$relation", text(args.get(0).accept(shuttle))), eq("$column", text(args.get(1).accept(shuttle))));
      SqlNode from = SqlStdOperatorTable.AS.createCall(POS,
          new SqlIdentifier(List.of("pg_catalog", "$serialsequence"), POS), new SqlIdentifier(ALIAS, POS));
      return new SqlSelect(POS, null, SqlNodeList.of(new SqlIdentifier(List.of(ALIAS, "$sequence"), POS)), from,
          where, null, null, null, null, null, null, null, null);
    }
    return null;
  }

  /** The int2vector / oidvector / int2[] columns of pg_index and pg_constraint. */
  private static final Set<String> VECTOR_COLUMNS = Set.of("indkey", "indoption", "indclass", "indcollation",
      "conkey", "confkey");
  private static final Set<String> TEXT_TYPES = Set.of("varchar", "text", "character varying");

  /** A (qualified) column reference to one of {@link #VECTOR_COLUMNS}. */
  private static boolean isVectorColumn(SqlNode node) {
    return node instanceof SqlIdentifier id && !id.isStar()
        && VECTOR_COLUMNS.contains(id.names.get(id.names.size() - 1).toLowerCase(Locale.ROOT));
  }

  private static SqlNode eq(String column, SqlNode value) {
    return SqlStdOperatorTable.EQUALS.createCall(POS, new SqlIdentifier(List.of(ALIAS, column), POS), value);
  }

  private static SqlNode text(SqlNode value) {
    return SqlStdOperatorTable.CAST.createCall(POS, value,
        new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, POS), POS));
  }
}
