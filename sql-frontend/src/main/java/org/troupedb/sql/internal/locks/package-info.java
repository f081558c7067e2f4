/**
 * PostgreSQL's advisory locks: a node-wide lock table ({@link org.troupedb.sql.internal.locks.AdvisoryLocks})
 * and each session's holdings ({@link org.troupedb.sql.internal.locks.SessionAdvisoryLocks}), which
 * the session releases at the end of its transaction (transaction-scoped locks) or of its life
 * (all). May depend on {@code errors}; nothing here knows about planning or the KV layer.
 */
package org.troupedb.sql.internal.locks;
