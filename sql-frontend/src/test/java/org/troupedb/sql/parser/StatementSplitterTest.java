package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.parser.StatementSplitter.Piece;

class StatementSplitterTest {

  private static List<String> texts(String sql) throws SqlException {
    return StatementSplitter.split(sql).stream().map(Piece::text).toList();
  }

  @Test
  void splitsAtTopLevelSemicolonsOnly() throws Exception {
    assertThat(texts("SELECT 1; SELECT 2;")).containsExactly("SELECT 1", "SELECT 2");
    assertThat(texts("INSERT INTO t VALUES ('a;b', E'c\\';d', \"x;y\")"))
        .containsExactly("INSERT INTO t VALUES ('a;b', E'c\\';d', \"x;y\")");
    assertThat(texts("SELECT 'it''s; fine'; SELECT 2")).containsExactly("SELECT 'it''s; fine'", "SELECT 2");
    assertThat(texts("SELECT $$a;b$$; SELECT $fn$ $$; $fn$")).containsExactly("SELECT $$a;b$$", "SELECT $fn$ $$; $fn$");
    assertThat(texts("SELECT $1; SELECT a$b FROM t")).containsExactly("SELECT $1", "SELECT a$b FROM t");
  }

  @Test
  void commentsDoNotSplitAndCommentOnlyStatementsAreDropped() throws Exception {
    assertThat(texts("SELECT 1 -- no; split\n; SELECT /* a; /* nested; */ b; */ 2")).containsExactly(
        "SELECT 1 -- no; split", "SELECT /* a; /* nested; */ b; */ 2");
    assertThat(texts(";; -- only a comment;\n /* and; another */ ;")).isEmpty();
    assertThat(texts("   ")).isEmpty();
  }

  @Test
  void keepsOffsetsAndLeadingTokens() throws Exception {
    List<Piece> pieces = StatementSplitter.split("SELECT 1;\n  /* c */ explain ANALYZE select 2");
    assertThat(pieces.get(1).offset()).isEqualTo(12);
    assertThat(pieces.get(1).text()).isEqualTo("/* c */ explain ANALYZE select 2");
    assertThat(pieces.get(1).firstWord()).isEqualTo("explain");
    assertThat(pieces.get(1).head()).extracting(StatementSplitter.Token::text)
        .containsExactly("explain", "ANALYZE", "select", "2");
    assertThat(pieces.get(1).head().get(2).start()).isEqualTo(24);
    assertThat(StatementSplitter.split("(SELECT 1)").get(0).firstWord()).isNull();
  }

  @Test
  void unterminatedTokensAreSyntaxErrorsAtTheirStart() {
    SqlException e = catchThrowableOfType(() -> StatementSplitter.split("SELECT 1; SELECT 'abc"), SqlException.class);
    assertThat(e.sqlState()).isEqualTo("42601");
    assertThat(e.getMessage()).isEqualTo("unterminated quoted string at or near \"'abc\"");
    assertThat(e.position()).isEqualTo(18);
    assertThat(catchThrowableOfType(() -> StatementSplitter.split("SELECT /* x"), SqlException.class).getMessage())
        .isEqualTo("unterminated /* comment at or near \"/* x\"");
    assertThat(catchThrowableOfType(() -> StatementSplitter.split("SELECT $q$ x $$"), SqlException.class)
        .getMessage()).isEqualTo("unterminated dollar-quoted string at or near \"$q$ x $$\"");
    assertThat(catchThrowableOfType(() -> StatementSplitter.split("SELECT \"ab"), SqlException.class)
        .position()).isEqualTo(8);
  }
}
