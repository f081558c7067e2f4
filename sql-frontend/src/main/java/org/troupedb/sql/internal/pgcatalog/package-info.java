/**
 * Stage 6, pgcatalog: {@code pg_catalog} and {@code information_schema} as Calcite relations built
 * from one catalog snapshot ({@link org.troupedb.sql.internal.pgcatalog.PgCatalogSchemas}), the
 * catalog functions psql and pgjdbc call, the rewrites their queries need, the literal-free shapes
 * under which their plans are cached ({@link org.troupedb.sql.internal.pgcatalog.CatalogLiterals}),
 * and the warmer that plans the captured client statements at start-up ({@link
 * org.troupedb.sql.internal.pgcatalog.CatalogWarmer}). May depend on {@code errors} … {@code kv};
 * the planner calls it, never the reverse.
 */
package org.troupedb.sql.internal.pgcatalog;
