package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.junit.jupiter.api.Test;

class TroupeParserTest {

  @Test
  void multiStatementStringSkipsEmptyStatements() throws Exception {
    List<SqlNode> stmts = TroupeParser.parseStatements(";select 1;; select 2;");
    assertThat(stmts).hasSize(2).allMatch(s -> s instanceof SqlSelect);
    assertThat(TroupeParser.parseStatements("  ")).isEmpty();
  }

  @Test
  void unquotedIdentifiersFoldToLowerCaseQuotedStayExact() throws Exception {
    SqlSelect select = (SqlSelect) TroupeParser.parse("SELECT Name, \"MixedCase\" FROM Users");
    assertThat(((SqlIdentifier) select.getSelectList().get(0)).getSimple()).isEqualTo("name");
    assertThat(((SqlIdentifier) select.getSelectList().get(1)).getSimple()).isEqualTo("MixedCase");
    assertThat(((SqlIdentifier) select.getFrom()).getSimple()).isEqualTo("users");
  }

  @Test
  void syntaxErrorCarriesPosition() {
    assertThatThrownBy(() -> TroupeParser.parseStatements("select 1;\nselect from where"))
        .isInstanceOfSatisfying(SqlParseException.class,
            e -> assertThat(e.getPos().getLineNum()).isEqualTo(2));
  }
}
