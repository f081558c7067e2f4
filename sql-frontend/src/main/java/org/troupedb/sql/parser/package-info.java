/**
 * TroupeDB's SQL parser: Calcite's own grammar ({@code codegen/templates/Parser.jj} of calcite-core)
 * extended through its fmpp hooks with PostgreSQL syntax and DDL ({@code src/main/codegen}), built
 * into {@code org.troupedb.sql.parser.impl.TroupeSqlParserImpl}. Start at {@link
 * org.troupedb.sql.parser.TroupeParser}; the statement nodes are in {@code
 * org.troupedb.sql.parser.ast}.
 *
 * <p>Stage 1 of the engine, parse: {@link org.troupedb.sql.parser.StatementParser} splits a query
 * string into statements ({@link org.troupedb.sql.parser.StatementSplitter}), parses each into a
 * {@link org.troupedb.sql.parser.Stmt} with its command tag and, for what Calcite plans, a {@link
 * org.troupedb.sql.parser.Query}; {@link org.troupedb.sql.parser.SimpleLiterals} finds the literals
 * a simple query can share a plan over. May depend on {@code internal.errors} only (and Calcite).
 */
package org.troupedb.sql.parser;
