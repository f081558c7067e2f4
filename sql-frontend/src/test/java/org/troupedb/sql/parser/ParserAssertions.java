package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.util.Litmus;

/** Parses one statement and checks that its unparsed SQL parses back to an equal tree and that it clones. */
final class ParserAssertions {
  private ParserAssertions() {}

  static String unparse(SqlNode node) {
    return node.toSqlString(PostgresqlSqlDialect.DEFAULT).getSql();
  }

  @SuppressWarnings("unchecked")
  static <T extends SqlNode> T roundTrip(String sql, Class<T> type) throws SqlParseException {
    SqlNode node = TroupeParser.parse(sql);
    assertThat(node).isInstanceOf(type);
    String printed = unparse(node);
    SqlNode again;
    try {
      again = TroupeParser.parse(printed);
    } catch (SqlParseException e) {
      throw new AssertionError("unparsed SQL does not parse: " + printed, e);
    }
    assertThat(again.equalsDeep(node, Litmus.IGNORE))
        .as("round trip of %s via %s", sql, printed)
        .isTrue();
    assertThat(unparse(again)).isEqualTo(printed);
    // operators rebuild their nodes (SqlShuttle and clone depend on it)
    SqlNode copy = node.clone(node.getParserPosition());
    assertThat(copy).isInstanceOf(type);
    assertThat(copy.equalsDeep(node, Litmus.IGNORE)).as("clone of %s", sql).isTrue();
    return (T) node;
  }
}
