/**
 * Stage 4, functions: PostgreSQL's scalar functions, operators and aggregates that Calcite lacks or
 * implements differently ({@link org.troupedb.sql.internal.functions.PgScalarFunctions}, whose
 * implementations are {@link org.troupedb.sql.internal.functions.PgDatetimeFunctions} and {@link
 * org.troupedb.sql.internal.functions.PgTextFunctions}; numeric
 * and datetime arithmetic, {@code to_char}/{@code to_number} formats, timestamps in microseconds,
 * time zones), as Calcite operators and the code they generate. May depend on {@code errors},
 * {@code parser}, {@code types} and {@code catalog}; never on the planner or the session.
 */
package org.troupedb.sql.internal.functions;
