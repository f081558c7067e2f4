package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlSelect;
import org.junit.jupiter.api.Test;

class DollarQuoteParserTest {

  private static String text(SqlSelect select, int item) {
    return ((SqlCharStringLiteral) select.getSelectList().get(item)).getValueAs(String.class);
  }

  @Test
  void dollarQuotedStringsAreStringLiteralsTakenAsWritten() throws Exception {
    SqlSelect s = (SqlSelect) TroupeParser.parse("SELECT $$it's; \\n$$, $fn$ $$ inside $fn$, $$$$, $1");
    assertThat(text(s, 0)).isEqualTo("it's; \\n");
    assertThat(text(s, 1)).isEqualTo(" $$ inside ");
    assertThat(text(s, 2)).isEmpty();
    assertThat(TroupeParser.maxParameterNumber(s)).isEqualTo(1);
  }

  @Test
  void dollarsInsideIdentifiersStayIdentifiers() throws Exception {
    SqlSelect s = (SqlSelect) TroupeParser.parse("SELECT a$b, \"$user\" FROM t");
    assertThat(((SqlIdentifier) s.getSelectList().get(0)).getSimple()).isEqualTo("a$b");
    assertThat(((SqlIdentifier) s.getSelectList().get(1)).getSimple()).isEqualTo("$user");
  }
}
