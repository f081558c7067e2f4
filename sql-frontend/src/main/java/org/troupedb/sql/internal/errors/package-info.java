/**
 * Stage 0, errors: maps Calcite's validation, parse and runtime failures to PostgreSQL SQLSTATEs
 * ({@link org.troupedb.sql.internal.errors.Errors}) and carries a {@link org.troupedb.sql.SqlException}
 * through Calcite's unchecked execution code ({@link
 * org.troupedb.sql.internal.errors.SqlRuntimeException}). Every stage uses it; it depends on no
 * other stage, only on the module's public vocabulary ({@code org.troupedb.sql}) and Calcite.
 */
package org.troupedb.sql.internal.errors;
