package org.troupedb.sql.parser;

import java.io.StringReader;
import java.util.List;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.troupedb.sql.parser.ast.SqlPgParam;
import org.troupedb.sql.parser.impl.TroupeSqlParserImpl;

/**
 * Entry point of TroupeDB's SQL parser: Calcite's grammar extended with PostgreSQL syntax and DDL
 * (the AST nodes are in {@code org.troupedb.sql.parser.ast}).
 *
 * <p>Lexical rules are PostgreSQL's: unquoted identifiers fold to lower case, double-quoted ones
 * are kept exactly, matching is case sensitive. The conformance is {@link SqlConformanceEnum#BABEL}
 * (the most permissive: {@code !=}, {@code %}, {@code LIMIT ALL}, {@code OFFSET} before {@code
 * LIMIT}, GROUP BY alias and ordinal, ...), the closest Calcite offers to PostgreSQL.
 */
public final class TroupeParser {
  private static final SqlParser.Config CONFIG =
      SqlParser.config()
          .withParserFactory(TroupeSqlParserImpl.FACTORY)
          .withQuoting(Quoting.DOUBLE_QUOTE)
          .withUnquotedCasing(Casing.TO_LOWER)
          .withQuotedCasing(Casing.UNCHANGED)
          .withCaseSensitive(true)
          .withConformance(SqlConformanceEnum.BABEL);

  /** Calcite parses run in this JVM (every entry point below); for metrics and tests. */
  private static final java.util.concurrent.atomic.LongAdder PARSES = new java.util.concurrent.atomic.LongAdder();

  private TroupeParser() {}

  /** How many times a text was parsed by Calcite's parser in this JVM. */
  public static long parses() {
    return PARSES.sum();
  }

  /** The parser configuration: use with {@code SqlParser.create(sql, TroupeParser.config())}. */
  public static SqlParser.Config config() {
    return CONFIG;
  }

  /** Parses one statement (a trailing semicolon is not allowed; see {@link #parseStatements}). */
  public static SqlNode parse(String sql) throws SqlParseException {
    PARSES.increment();
    SqlNode node = SqlParser.create(sql, CONFIG).parseStmt();
    EscapeStrings.plain(node, sql);
    return node;
  }

  /**
   * Parses a {@code ;}-separated list of statements, as a simple-query message carries; empty
   * statements are skipped, so an empty or blank string gives an empty list.
   *
   * @throws SqlParseException with the position of the first syntax error
   */
  public static List<SqlNode> parseStatements(String sql) throws SqlParseException {
    PARSES.increment();
    TroupeSqlParserImpl parser =
        (TroupeSqlParserImpl) TroupeSqlParserImpl.FACTORY.getParser(new StringReader(sql));
    // The same set-up SqlParser.create does for its own entry points.
    parser.setOriginalSql(sql);
    parser.setTabSize(1);
    parser.setQuotedCasing(CONFIG.quotedCasing());
    parser.setUnquotedCasing(CONFIG.unquotedCasing());
    parser.setIdentifierMaxLength(CONFIG.identifierMaxLength());
    parser.setConformance(CONFIG.conformance());
    parser.switchTo(SqlAbstractParserImpl.LexicalState.forConfig(CONFIG));
    try {
      SqlNodeList list = parser.PgStmtList();
      for (SqlNode node : list) {
        EscapeStrings.plain(node, sql);
      }
      return list.getList();
    } catch (Throwable ex) {
      if (ex instanceof CalciteContextException) {
        ((CalciteContextException) ex).setOriginalStatement(sql);
      }
      throw parser.normalizeException(ex);
    }
  }

  /**
   * The number of parameters a statement needs: the highest {@code $n}, or for {@code ?} markers
   * the highest index plus one; 0 when there are none. Every {@code $n} is a {@link SqlPgParam}
   * whose {@code getIndex()} is {@code n - 1}, so {@code $1} used twice counts once.
   */
  public static int maxParameterNumber(SqlNode node) {
    int[] max = {0};
    node.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlDynamicParam param) {
            max[0] = Math.max(max[0], param.getIndex() + 1);
            return null;
          }
        });
    return max[0];
  }
}
