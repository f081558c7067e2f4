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
  void malformedInputAlwaysRaisesSqlParseException() {
    String[] bad = {
        "CREATE SEQUENCE s START 99999999999999999999", "SELECT $99999999999", "SELECT $0",
        "CREATE TABLE t (a numeric(99999999999))", "SELECT 'abc", "SELECT \"abc",
        "SET", "SHOW", "SELECT 1::", "SELECT a FROM t FOR UPDATE OF", "CREATE TABLE t ()",
        "INSERT INTO t DEFAULT", "BEGIN ISOLATION LEVEL SOMETIMES", "\u0000", "@@@",
    };
    for (String sql : bad) {
      assertThatThrownBy(() -> TroupeParser.parseStatements(sql)).as(sql)
          .isInstanceOf(SqlParseException.class);
    }
  }

  @Test
  void maxParameterNumberCountsDistinctNumbers() throws Exception {
    assertThat(TroupeParser.maxParameterNumber(TroupeParser.parse("SELECT 1"))).isZero();
    assertThat(TroupeParser.maxParameterNumber(
        TroupeParser.parse("SELECT $2 + $2 FROM t WHERE a = $1 AND b IN (SELECT $2)"))).isEqualTo(2);
    assertThat(TroupeParser.maxParameterNumber(TroupeParser.parse("SELECT ?, ?"))).isEqualTo(2);
  }

  @Test
  void syntaxErrorCarriesPosition() {
    assertThatThrownBy(() -> TroupeParser.parseStatements("select 1;\nselect from where"))
        .isInstanceOfSatisfying(SqlParseException.class,
            e -> assertThat(e.getPos().getLineNum()).isEqualTo(2));
  }
}
