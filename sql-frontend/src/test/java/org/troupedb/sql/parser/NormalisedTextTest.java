package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.sql.parser.StatementSplitter.normalise;

import org.junit.jupiter.api.Test;

/**
 * {@link StatementSplitter#normalise}, the plan cache key's text: what the scanner skips is gone from
 * the normal form; quoted text is kept as written.
 */
class NormalisedTextTest {
  @Test
  void whitespaceAndCommentsCollapse() {
    String one = normalise("SELECT v FROM t WHERE v > 1");
    assertThat(normalise("  SELECT\tv\n FROM t -- a comment\n WHERE v > 1 ")).isEqualTo(one);
    assertThat(normalise("SELECT/* a /* nested */ comment */v FROM t WHERE v > 1")).isEqualTo(one);
    assertThat(normalise("SELECT f( a , b ) ; ")).isEqualTo("SELECT f(a,b);");
  }

  @Test
  void quotedTextIsKept() {
    assertThat(normalise("SELECT '--a  b'")).isNotEqualTo(normalise("SELECT '--a b'"));
    assertThat(normalise("SELECT 'it''s  /* x */'")).isEqualTo("SELECT 'it''s  /* x */'");
    assertThat(normalise("SELECT \"a  b\"")).isEqualTo("SELECT \"a  b\"");
    assertThat(normalise("SELECT $q$ -- x  $q$, $1")).isEqualTo("SELECT $q$ -- x  $q$,$1");
    // In an E'' string a backslash escapes the quote, so "--" is still inside the string.
    assertThat(normalise("SELECT E'a\\' -- x'")).isNotEqualTo(normalise("SELECT E'a\\' -- y'"));
  }

  @Test
  void tokensThatWouldJoinStayApart() {
    assertThat(normalise("SELECT 1 - -1")).isEqualTo("SELECT 1 - -1");
    assertThat(normalise("SELECT 1 -/**/-1")).isEqualTo("SELECT 1 - -1");
    assertThat(normalise("SELECT 'a'\n'b'")).isNotEqualTo(normalise("SELECT 'a' 'b'"));
  }
}
