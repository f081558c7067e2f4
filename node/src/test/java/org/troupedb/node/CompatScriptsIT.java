package org.troupedb.node;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The psql compatibility scripts ({@code src/test/resources/compat/NAME.sql}, see its README) print
 * the same with psql on PostgreSQL 15 and on a TroupeDB node — results, command tags, {@code \d}
 * output, errors with their DETAIL and HINT lines — except the deviations listed in {@code
 * NAME.known-diff}. Each script runs in a fresh database of its own on both sides.
 *
 * <ul>
 *   <li>basic: the OLTP core; planner: planner regressions of issue 14 (wrong answers, internal errors);
 *   <li>alter: ALTER TABLE columns (ADD with DEFAULT / NOT NULL, DROP, RENAME, SET/DROP DEFAULT and
 *       NOT NULL, TYPE);
 *   <li>constraints: CHECK and FOREIGN KEY, {@code \d}, pg_constraint;
 *   <li>sessions: PREPARE / EXECUTE / DEALLOCATE, cursors, COPY (query) TO and psql's {@code \copy};
 *   <li>tools: advisory locks, the catalog spellings Flyway and SQLAlchemy send;
 *   <li>views: views, CREATE TABLE AS, {@code \dv}, pg_views / pg_tables / pg_indexes.
 * </ul>
 */
class CompatScriptsIT {
  @RegisterExtension static final PostgresAndNode servers = new PostgresAndNode();

  @ParameterizedTest(name = "{0}.sql")
  @ValueSource(strings = {"basic", "planner", "alter", "constraints", "sessions", "tools", "views"})
  void scriptMatchesPostgres(String script) throws Exception {
    String database = "compat_" + script;
    servers.createDatabase(database);
    CompatScript.assertOnlyKnownDiff(servers.postgresPsql(database), servers.troupePsql(database), script);
  }
}
