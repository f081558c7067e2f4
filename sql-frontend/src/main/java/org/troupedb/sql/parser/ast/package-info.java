/**
 * The PostgreSQL statements and clauses Calcite has no node for. What the parser returns:
 *
 * <pre>
 *   CREATE DATABASE / DROP DATABASE        SqlCreateDatabase / SqlDropDatabase
 *   CREATE TABLE                           SqlCreateTable (SqlColumnDef, SqlTableConstraint;
 *                                          types are SqlPgTypeNameSpec)
 *   DROP TABLE / TRUNCATE                  SqlDropTable / SqlTruncateTable
 *   ALTER TABLE (one action)               SqlAlterTable
 *   CREATE [UNIQUE] INDEX / DROP INDEX     SqlCreateIndex / SqlDropIndex
 *   CREATE SEQUENCE / DROP SEQUENCE        SqlCreateSequence / SqlDropSequence
 *   BEGIN, START TRANSACTION               SqlBeginTransaction
 *   SET TRANSACTION, SET SESSION
 *     CHARACTERISTICS AS TRANSACTION       SqlSetTransaction
 *   COMMIT, END                            SqlCommit
 *   ROLLBACK, ABORT, ROLLBACK TO SAVEPOINT SqlRollback (savepoint() null for the whole txn)
 *   SAVEPOINT / RELEASE SAVEPOINT          SqlSavepoint / SqlReleaseSavepoint
 *   SET name TO ..., SET TIME ZONE         SqlSetVariable
 *   RESET / SHOW                           SqlResetVariable / SqlShowVariable
 *   INSERT                                 Calcite SqlInsert, or SqlPgInsert when UPSERT,
 *                                          DEFAULT VALUES, ON CONFLICT (SqlOnConflict) or
 *                                          RETURNING is present
 *   UPDATE / DELETE                        Calcite SqlUpdate / SqlDelete, or SqlReturning
 *                                          around one when RETURNING is present
 *   SELECT ... FOR UPDATE | SHARE ...      SqlSelectLocking around the query
 *   ... AS OF SYSTEM TIME t                SqlAsOfSystemTime around the query
 *   EXPLAIN [ANALYZE] [VERBOSE]            SqlPgExplain
 *   COPY t FROM STDIN / TO STDOUT          SqlCopy
 *   VACUUM, ANALYZE                        SqlVacuum
 *   $n                                     SqlPgParam (a SqlDynamicParam, index n - 1)
 *   expr::type                             SqlLibraryOperators.INFIX_CAST call (kind CAST)
 *   interval '1 day'                       a Calcite SqlIntervalLiteral (DAY TO SECOND or
 *                                          YEAR TO MONTH)
 * </pre>
 *
 * <p>Every node is a {@code SqlCall} whose operator ({@code OPERATOR}) rebuilds it from its
 * operands, so {@code SqlShuttle} and {@code clone} work; {@code unparse} prints SQL this parser
 * reads back to an equal tree.
 */
package org.troupedb.sql.parser.ast;
