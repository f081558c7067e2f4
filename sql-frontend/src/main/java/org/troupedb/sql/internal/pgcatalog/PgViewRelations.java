package org.troupedb.sql.internal.pgcatalog;

import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.BOOL;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.OID;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.TEXT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.PgOids;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;

/**
 * The catalog rows of views, and PostgreSQL's listing views {@code pg_tables}, {@code pg_views}
 * and {@code pg_indexes}: views are {@code pg_class} rows of relkind {@code 'v'} with their
 * columns in {@code pg_attribute}, and rows of {@code information_schema.tables} (type VIEW),
 * {@code .views} and {@code .columns}.
 *
 * <p>NB: {@code pg_views.definition} and {@code pg_get_viewdef} return the query as written
 * (with PostgreSQL's leading space and closing semicolon), not PostgreSQL's deparsed form
 * ({@code SELECT t.a, t.b FROM t;} with qualified columns, one per line); relhasrules is false
 * (PostgreSQL: true, the view's _RETURN rule), so psql asks for no rules.
 */
final class PgViewRelations {
  private PgViewRelations() {}

  /** The relations of pg_catalog that are tables in PostgreSQL (the others are views). */
  private static final java.util.Set<String> CATALOG_TABLES = java.util.Set.of("pg_type", "pg_attribute",
      "pg_proc", "pg_class", "pg_authid", "pg_database", "pg_tablespace", "pg_am", "pg_attrdef", "pg_constraint",
      "pg_description", "pg_index", "pg_inherits", "pg_namespace", "pg_collation", "pg_auth_members",
      "pg_sequence", "pg_policy", "pg_statistic_ext", "pg_publication", "pg_publication_rel",
      "pg_publication_namespace", "pg_trigger", "pg_rewrite");

  static List<ViewDesc> views(Catalog catalog, long databaseId) {
    List<ViewDesc> out = new ArrayList<>();
    for (ViewDesc v : catalog.views().values()) {
      if (v.databaseId() == databaseId) {
        out.add(v);
      }
    }
    return out;
  }

  /** {@code tables} followed by the views of the database in a table's shape ({@link ViewDesc#shape}). */
  static List<TableDesc> withViewShapes(List<TableDesc> tables, Catalog catalog, long databaseId) {
    List<TableDesc> out = new ArrayList<>(tables);
    for (ViewDesc v : views(catalog, databaseId)) {
      out.add(v.shape());
    }
    return out;
  }

  /** True if {@code t} is a view's shape rather than a table. */
  static boolean isView(Catalog catalog, TableDesc t) {
    return catalog.views().containsKey(t.id());
  }

  /** The view's definition as pg_views and pg_get_viewdef show it. */
  static String definition(ViewDesc v) {
    return " " + v.query() + ";";
  }

  /** The pg_class rows of the views (column list of {@code PgCatalogTables}' pg_class). */
  static void classRows(VirtualTable.Rows r, Catalog catalog, long databaseId) {
    for (ViewDesc v : views(catalog, databaseId)) {
      r.add(PgOids.relation(v.id()), v.name(), PgOids.namespace(v.schema()), 0, 0, PgOids.ROOT_ROLE, 0,
          0, 0, 0, -1f, 0, 0, false, false, "p", "v", v.columns().size(), 0, false, false, false, false, false,
          true, "n", false, 0, null, null, null);
    }
  }

  /** pg_tables, pg_views, pg_indexes and the "$viewdef" lookup behind pg_get_viewdef. */
  static void add(Map<String, Table> m, Catalog catalog, long databaseId, List<TableDesc> tables,
      Map<String, Long> systemRelations) {
    m.put("pg_tables", VirtualTable.of(r -> {
      for (TableDesc t : tables) {
        boolean indexed = t.indexes().stream().anyMatch(ix -> PgOids.visible(t, ix));
        boolean triggers = !t.foreignKeys().isEmpty() || !catalog.referencing(t.id()).isEmpty();
        r.add(t.schema(), t.name(), "root", null, indexed, false, triggers, false);
      }
      for (String name : systemRelations.keySet()) {
        if (CATALOG_TABLES.contains(name)) {
          r.add("pg_catalog", name, "root", null, true, false, false, false);
        }
      }
    }, "schemaname", TEXT, "tablename", TEXT, "tableowner", TEXT, "tablespace", TEXT, "hasindexes", BOOL,
        "hasrules", BOOL, "hastriggers", BOOL, "rowsecurity", BOOL));
    m.put("pg_views", VirtualTable.of(r -> {
      for (ViewDesc v : views(catalog, databaseId)) {
        r.add(v.schema(), v.name(), "root", definition(v));
      }
    }, "schemaname", TEXT, "viewname", TEXT, "viewowner", TEXT, "definition", TEXT));
    m.put("pg_indexes", VirtualTable.of(r -> {
      for (TableDesc t : tables) {
        for (TableDesc.Index ix : t.indexes()) {
          if (PgOids.visible(t, ix)) {
            r.add(t.schema(), t.name(), ix.name(), null, PgDefinitions.indexDef(t, ix));
          }
        }
      }
    }, "schemaname", TEXT, "tablename", TEXT, "indexname", TEXT, "tablespace", TEXT, "indexdef", TEXT));
    m.put("$viewdef", VirtualTable.of(r -> {
      for (ViewDesc v : views(catalog, databaseId)) {
        r.add(PgOids.relation(v.id()), definition(v));
      }
    }, "$oid", OID, "$def", TEXT));
  }

  /** information_schema.tables rows of the views (after the tables'). */
  static void informationSchemaTables(VirtualTable.Rows r, Catalog catalog, long databaseId, String database) {
    for (ViewDesc v : views(catalog, databaseId)) {
      r.add(database, v.schema(), v.name(), "VIEW", "NO", "NO");
    }
  }

  /** information_schema.views. */
  static Table informationSchemaViews(Catalog catalog, long databaseId, String database) {
    return VirtualTable.of(r -> {
      for (ViewDesc v : views(catalog, databaseId)) {
        r.add(database, v.schema(), v.name(), definition(v), "NONE", "NO", "NO", "NO", "NO", "NO");
      }
    }, "table_catalog", TEXT, "table_schema", TEXT, "table_name", TEXT, "view_definition", TEXT,
        "check_option", TEXT, "is_updatable", TEXT, "is_insertable_into", TEXT, "is_trigger_updatable", TEXT,
        "is_trigger_deletable", TEXT, "is_trigger_insertable_into", TEXT);
  }
}
