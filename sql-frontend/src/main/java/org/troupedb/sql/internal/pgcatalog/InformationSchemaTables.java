package org.troupedb.sql.internal.pgcatalog;

import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT4;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.TEXT;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.calcite.schema.Table;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.PgOids;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.internal.catalog.TableDesc;

/**
 * The SQL-standard {@code information_schema} views of one database (tables, columns, schemata,
 * table_constraints, key_column_usage), from the same catalog snapshot as {@code pg_catalog}.
 */
final class InformationSchemaTables {
  private final Catalog catalog;
  private final long databaseId;
  private final String database;

  InformationSchemaTables(Catalog catalog, long databaseId) {
    this.catalog = catalog;
    this.databaseId = databaseId;
    Catalog.Database db = catalog.databases().get(databaseId);
    this.database = db == null ? "" : db.name();
  }

  private java.util.List<TableDesc> tables() {
    return catalog.tables().values().stream().filter(t -> t.databaseId() == databaseId).toList();
  }

  /** information_schema.columns.data_type: the type's SQL name without modifiers. */
  static String dataType(ColumnType t) {
    return switch (t.pg()) {
      case BPCHAR -> "character";
      case VARCHAR -> "character varying";
      case NUMERIC -> "numeric";
      default -> PgDefinitions.formatType((long) t.pg().oid(), -1);
    };
  }

  Map<String, Table> build() {
    Map<String, Table> m = new TreeMap<>();
    m.put("schemata", VirtualTable.of(r -> {
      TreeSet<String> schemas = new TreeSet<>(java.util.List.of("pg_catalog", "public", "information_schema"));
      for (TableDesc t : tables()) {
        schemas.add(t.schema());
      }
      for (String s : schemas) {
        r.add(database, s, "root");
      }
    }, "catalog_name", TEXT, "schema_name", TEXT, "schema_owner", TEXT));
    m.put("tables", VirtualTable.of(r -> {
      for (TableDesc t : tables()) {
        r.add(database, t.schema(), t.name(), "BASE TABLE", "YES", "NO");
      }
      PgViewRelations.informationSchemaTables(r, catalog, databaseId, database);
    }, "table_catalog", TEXT, "table_schema", TEXT, "table_name", TEXT, "table_type", TEXT,
        "is_insertable_into", TEXT, "is_typed", TEXT));
    m.put("views", PgViewRelations.informationSchemaViews(catalog, databaseId, database));
    m.put("columns", VirtualTable.of(r -> {
      for (TableDesc t : PgViewRelations.withViewShapes(tables(), catalog, databaseId)) {
        for (int i = 0; i < t.columns().size(); i++) {
          TableDesc.Column c = t.columns().get(i);
          if (c.hidden()) {
            continue;
          }
          ColumnType ty = c.type();
          boolean chars = ty.pg() == PgType.VARCHAR || ty.pg() == PgType.BPCHAR;
          Integer precision = switch (ty.pg()) {
            case INT2 -> 16;
            case INT4 -> 32;
            case INT8 -> 64;
            case FLOAT4 -> 24;
            case FLOAT8 -> 53;
            case NUMERIC -> ty.precision() < 0 ? null : ty.precision();
            default -> null;
          };
          Integer radix = precision == null ? null : ty.pg() == PgType.NUMERIC ? 10 : 2;
          Integer scale = ty.pg() == PgType.NUMERIC ? (ty.precision() < 0 ? null : Math.max(ty.scale(), 0))
              : (ty.pg() == PgType.INT2 || ty.pg() == PgType.INT4 || ty.pg() == PgType.INT8) ? 0 : null;
          r.add(database, t.schema(), t.name(), c.name(), PgOids.attnum(t, i), PgDefinitions.defaultExpr(c),
              c.nullable() ? "YES" : "NO", dataType(ty), chars && ty.precision() >= 0 ? ty.precision() : null,
              precision, radix, scale, database, "pg_catalog", ty.pg().typname(), "NO", "NEVER",
              PgViewRelations.isView(catalog, t) ? "NO" : "YES");
        }
      }
    }, "table_catalog", TEXT, "table_schema", TEXT, "table_name", TEXT, "column_name", TEXT,
        "ordinal_position", INT4, "column_default", TEXT, "is_nullable", TEXT, "data_type", TEXT,
        "character_maximum_length", INT4, "numeric_precision", INT4, "numeric_precision_radix", INT4,
        "numeric_scale", INT4, "udt_catalog", TEXT, "udt_schema", TEXT, "udt_name", TEXT, "is_identity", TEXT,
        "is_generated", TEXT, "is_updatable", TEXT));
    m.put("table_constraints", VirtualTable.of(r -> {
      for (TableDesc t : tables()) {
        for (TableDesc.Index ix : t.indexes()) {
          String type = constraintType(t, ix);
          if (type != null) {
            r.add(database, t.schema(), ix.name(), database, t.schema(), t.name(), type, "NO", "NO", "YES");
          }
        }
      }
    }, "constraint_catalog", TEXT, "constraint_schema", TEXT, "constraint_name", TEXT, "table_catalog", TEXT,
        "table_schema", TEXT, "table_name", TEXT, "constraint_type", TEXT, "is_deferrable", TEXT,
        "initially_deferred", TEXT, "enforced", TEXT));
    m.put("key_column_usage", VirtualTable.of(r -> {
      for (TableDesc t : tables()) {
        for (TableDesc.Index ix : t.indexes()) {
          if (constraintType(t, ix) != null) {
            for (int k = 0; k < ix.columns().length; k++) {
              r.add(database, t.schema(), ix.name(), database, t.schema(), t.name(),
                  t.columns().get(ix.columns()[k]).name(), k + 1, null);
            }
          }
        }
      }
    }, "constraint_catalog", TEXT, "constraint_schema", TEXT, "constraint_name", TEXT, "table_catalog", TEXT,
        "table_schema", TEXT, "table_name", TEXT, "column_name", TEXT, "ordinal_position", INT4,
        "position_in_unique_constraint", INT4));
    return m;
  }

  private static String constraintType(TableDesc t, TableDesc.Index ix) {
    if (!PgOids.visible(t, ix)) {
      return null;
    }
    if (ix.id() == TableDesc.PRIMARY_INDEX_ID) {
      return "PRIMARY KEY";
    }
    return PgOids.isUniqueConstraint(ix) ? "UNIQUE" : null;
  }
}
