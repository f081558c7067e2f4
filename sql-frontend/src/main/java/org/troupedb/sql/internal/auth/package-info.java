/**
 * Stage 8, auth: who may do what. {@link org.troupedb.sql.internal.auth.Privileges} checks and
 * changes privileges (GRANT, REVOKE, ownership, CONNECT), {@link org.troupedb.sql.internal.auth.Roles}
 * runs CREATE / ALTER / DROP ROLE; both read and write the roles and grants of {@code
 * catalog.AuthCatalog}. May depend on the stages below it; it takes the
 * statement's {@link org.troupedb.sql.internal.plan.StatementContext} (user, database, transaction,
 * catalog), never the session.
 */
package org.troupedb.sql.internal.auth;
