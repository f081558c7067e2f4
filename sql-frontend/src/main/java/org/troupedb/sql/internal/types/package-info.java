/**
 * Stage 2, types: the PostgreSQL type system as the engine sees it. {@link
 * org.troupedb.sql.internal.types.ColumnType} maps a column's PostgreSQL type to Calcite's and
 * converts values between the wire, Calcite's internal representation and storage; {@link
 * org.troupedb.sql.internal.types.PgTypeSystem} gives Calcite PostgreSQL's precisions and numeric
 * rules; {@code PgArrayText} and {@code Int2Vector} are the array text forms. May depend on
 * {@code errors} and {@code org.troupedb.sql.parser} (the type names of the grammar), nothing
 * higher.
 */
package org.troupedb.sql.internal.types;
