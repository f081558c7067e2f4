package org.troupedb.sql.internal.pgcatalog;

import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.troupedb.sql.internal.catalog.Catalog;

/**
 * Adds {@code pg_catalog} and {@code information_schema} (built from one catalog snapshot, for
 * one database) and PostgreSQL's catalog functions to a Calcite root schema. The catalog
 * relations are also visible unqualified, as if {@code pg_catalog} led the search path the way
 * PostgreSQL puts it there implicitly.
 */
public final class PgCatalogSchemas {
  private PgCatalogSchemas() {}

  /** Registers everything; {@code defaultTables} is the table map of the default schema. */
  public static void register(SchemaPlus root, Map<String, Table> defaultTables, Catalog catalog, long databaseId) {
    Map<String, Long> systemRelations = new TreeMap<>();
    Map<String, Table> pg = new PgCatalogTables(catalog, databaseId).build(systemRelations);
    Map<String, Table> info = new InformationSchemaTables(catalog, databaseId).build();
    int ordinal = 0;
    for (String name : pg.keySet()) {
      if (!name.startsWith("$")) {
        systemRelations.put(name, PgCatalogTables.catalogRelationOid(name, ordinal));
      }
      ordinal++;
    }
    for (String name : info.keySet()) {
      systemRelations.put(name, PgCatalogTables.catalogRelationOid(name, ordinal++));
    }
    root.add("pg_catalog", schema(pg));
    PgTableFunctions.registerInformationSchema(root.add("information_schema", schema(info)));
    defaultTables.putAll(pg);
    PgFunctions.register(root);
    PgSizeFunctions.register(root);
    PgTableFunctions.register(root);
  }

  private static AbstractSchema schema(Map<String, Table> tables) {
    return new AbstractSchema() {
      @Override
      protected Map<String, Table> getTableMap() {
        return tables;
      }
    };
  }
}
