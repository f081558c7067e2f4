/**
 * Stage 9, exec: running a statement. {@link org.troupedb.sql.internal.exec.Dml} plans (through
 * {@code plan}) and executes queries and DML, {@link org.troupedb.sql.internal.exec.RowWriter}
 * turns rows into KV mutations with their index entries and constraint checks, {@link
 * org.troupedb.sql.internal.exec.Ddl} changes descriptors in the statement's transaction (views,
 * CREATE TABLE AS and COMMENT ON in {@code ViewDdl}, {@code CreateTableAs}, {@code CommentDdl};
 * writes to views refused in {@code ViewWrites}), {@link
 * org.troupedb.sql.internal.exec.Copy} runs COPY FROM / TO. May depend on every stage below it.
 * NB: it still takes the {@code Session} (and its {@code Engine}) as the statement's context: the
 * one allowed upward dependency, until the per-statement context record of issue 18 replaces it.
 */
package org.troupedb.sql.internal.exec;
