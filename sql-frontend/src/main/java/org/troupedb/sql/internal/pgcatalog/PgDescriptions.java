package org.troupedb.sql.internal.pgcatalog;

import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT4;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.OID;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.TEXT;

import org.apache.calcite.schema.Table;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.CommentDesc;
import org.troupedb.sql.internal.catalog.PgOids;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;

/**
 * {@code pg_description}: the comments (COMMENT ON) on the database's tables, views and their
 * columns, all of class pg_class (OID 1259). {@code obj_description} and {@code col_description}
 * read it (see {@link PgCatalogRewrites}).
 */
final class PgDescriptions {
  private PgDescriptions() {}

  /** pg_class's OID, the classoid of every comment here. */
  static final long PG_CLASS = 1259;

  static Table table(Catalog catalog, long databaseId) {
    return VirtualTable.of(r -> {
      for (CommentDesc c : catalog.comments().values()) {
        TableDesc t = catalog.tables().get(c.relationId());
        ViewDesc v = catalog.views().get(c.relationId());
        long db = t != null ? t.databaseId() : v != null ? v.databaseId() : -1;
        if (db == databaseId) {
          r.add(PgOids.relation(c.relationId()), PG_CLASS, c.subId(), c.text());
        }
      }
    }, "objoid", OID, "classoid", OID, "objsubid", INT4, "description", TEXT);
  }
}
