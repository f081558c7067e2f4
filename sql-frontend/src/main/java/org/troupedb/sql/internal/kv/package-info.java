/**
 * Stage 5, kv: the Calcite adapter over the KV store. A table is a {@link
 * org.troupedb.sql.internal.kv.KvTable} that the planner turns into a {@link
 * org.troupedb.sql.internal.kv.KvTableScan}; {@link org.troupedb.sql.internal.kv.KvRules} push
 * comparisons into it, {@link org.troupedb.sql.internal.kv.KvAccess} picks a point get, an index span
 * or a primary-key span, and {@link org.troupedb.sql.internal.kv.KvScan} reads it through the
 * execution's transaction ({@link org.troupedb.sql.internal.kv.ExecContext}). May depend on the
 * stages below it ({@code errors} … {@code functions}).
 */
package org.troupedb.sql.internal.kv;
