package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * Escape strings ({@code E'…'}), Unicode strings ({@code U&'…'}) and text outside Latin-1 are text
 * like any other (issue 14: {@code name || E'\t'} sent Calcite's "not comparable to CHAR(1)
 * CHARACTER SET "UTF-16LE"" to the client; {@code '€'} was XX000). Expected values are PostgreSQL
 * 15's (node's {@code compat/basic.sql} diffs them).
 */
class EscapeStringsTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService())
        .openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE es (id INT PRIMARY KEY, name TEXT)");
    run("INSERT INTO es VALUES (1, 'a'), (2, NULL)");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  @Test
  void escapeStringsMeetOtherText() throws Exception {
    assertThat(rows("SELECT name || E'\\t' || 'x' FROM es ORDER BY id"))
        .containsExactly(List.of("a\tx"), Arrays.asList((Object) null));
    assertThat(rows("SELECT 'x' || E'\\n' || name, name || e'\\\\n', E'' || name FROM es WHERE id = 1"))
        .containsExactly(List.of("x\na", "a\\n", "a"));
    assertThat(rows("SELECT id FROM es WHERE name = E'\\x61' OR name = U&'\\0062'")).containsExactly(List.of(1));
    assertThat(rows("SELECT concat(name, E'\\t', id) FROM es ORDER BY id"))
        .containsExactly(List.of("a\t1"), List.of("\t2"));
  }

  @Test
  void escapesReadAsPostgresReadsThem() throws Exception {
    assertThat(rows("SELECT E'it''s', E'it\\'s', E'\\\\', E'\\x41\\101', E'\\u00e9\\U0001F600', E'\\q', E'\\47',"
        + " E'\\xg', E'\\303\\251', E'a\\bb', E'\\4'"))
        .containsExactly(List.of("it's", "it's", "\\", "AA", "é😀", "q", "'", "xg", "é", "a\bb", "\u0004"));
    assertThat(rows("SELECT U&'d\\0061t\\+000061', U&'a\\\\b', u&'x''y', U&'d!0061t' UESCAPE '!'"))
        .containsExactly(List.of("data", "a\\b", "x'y", "dat"));
  }

  @Test
  void textOutsideLatin1IsText() throws Exception {
    assertThat(rows("SELECT '€' || 'x', 'ö' || 'x', '😀', length('€ö')"))
        .containsExactly(List.of("€x", "öx", "😀", 2));
    run("INSERT INTO es VALUES (3, '€')");
    assertThat(rows("SELECT id FROM es WHERE name = '€'")).containsExactly(List.of(3));
  }
}
