/**
 * Stage 3, catalog: what exists and how it is stored. The immutable catalog snapshot ({@link
 * org.troupedb.sql.internal.catalog.Catalog}: databases, tables, sequences, and their key layout),
 * its store in the KV system span with a version key ({@link
 * org.troupedb.sql.internal.catalog.CatalogStore}), roles and grants ({@link
 * org.troupedb.sql.internal.catalog.AuthCatalog}), OIDs ({@code PgOids}), sequences, name lookup
 * ({@link org.troupedb.sql.internal.catalog.Names}), and the order-preserving row and index key
 * encoding ({@link org.troupedb.sql.internal.catalog.KeyEncoding}) and value encoding ({@link
 * org.troupedb.sql.internal.catalog.ValueEncoding}: values tagged by column id, so ALTER TABLE
 * rewrites no rows; a table's {@link org.troupedb.sql.internal.catalog.ColumnHistory} keeps the
 * dropped and retyped column ids and the missing values of columns added with a DEFAULT). {@code Kv} waits for the transaction's
 * futures. May depend on {@code errors}, {@code parser}, {@code types} and the txn-coordinator API.
 */
package org.troupedb.sql.internal.catalog;
