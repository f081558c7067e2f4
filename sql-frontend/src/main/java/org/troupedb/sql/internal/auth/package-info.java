/**
 * Stage 8, auth: who may do what. {@link org.troupedb.sql.internal.auth.Privileges} checks and
 * changes privileges (GRANT, REVOKE, ownership, CONNECT), {@link org.troupedb.sql.internal.auth.Roles}
 * runs CREATE / ALTER / DROP ROLE; both read and write the roles and grants of {@code
 * catalog.AuthCatalog}. May depend on the stages below it. NB: it still takes the {@code Session}
 * as the statement's context (the one allowed upward dependency, until the per-statement context
 * record of issue 18 replaces it).
 */
package org.troupedb.sql.internal.auth;
