/**
 * TroupeDB's SQL parser: Calcite's own grammar ({@code codegen/templates/Parser.jj} of calcite-core)
 * extended through its fmpp hooks with PostgreSQL syntax and DDL ({@code src/main/codegen}), built
 * into {@code org.troupedb.sql.parser.impl.TroupeSqlParserImpl}. Start at {@link
 * org.troupedb.sql.parser.TroupeParser}; the statement nodes are in {@code
 * org.troupedb.sql.parser.ast}.
 */
package org.troupedb.sql.parser;
