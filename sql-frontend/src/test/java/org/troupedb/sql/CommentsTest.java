package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** COMMENT ON TABLE / VIEW / COLUMN with pg_description, obj_description and col_description (PostgreSQL 15's behaviour). */
class CommentsTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = SessionRunner.newSession();
    run("CREATE TABLE t (id int PRIMARY KEY, comment text)"); // a column may be called comment
    run("CREATE VIEW v AS SELECT id FROM t");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  @Test
  void commentsAreSetReplacedAndRemoved() throws Exception {
    assertThat(run("COMMENT ON TABLE t IS 'the table'").commandTag()).isEqualTo("COMMENT");
    run("COMMENT ON COLUMN t.comment IS 'free text'");
    run("COMMENT ON VIEW v IS 'ids'");
    run("COMMENT ON COLUMN public.v.id IS 'the id'");
    assertThat(rows("SELECT obj_description('t'::regclass, 'pg_class'), col_description('t'::regclass, 2),"
        + " col_description('t'::regclass, 1), obj_description('v'::regclass)"))
        .containsExactly(Arrays.asList("the table", "free text", null, "ids"));
    assertThat(rows("SELECT objsubid, description FROM pg_catalog.pg_description WHERE objoid = 'v'::regclass"
        + " ORDER BY objsubid")).containsExactly(List.of(0, "ids"), List.of(1, "the id"));
    run("COMMENT ON TABLE t IS 'renamed'");
    run("COMMENT ON COLUMN t.comment IS NULL");
    run("COMMENT ON VIEW v IS ''");
    assertThat(rows("SELECT obj_description('t'::regclass, 'pg_class'), col_description('t'::regclass, 2),"
        + " obj_description('v'::regclass, 'pg_class')")).containsExactly(Arrays.asList("renamed", null, null));
    run("DROP VIEW v");
    run("DROP TABLE t");
    assertThat(rows("SELECT count(*) FROM pg_catalog.pg_description")).containsExactly(List.of(0L));
  }

  @Test
  void commentErrorsArePostgres() throws Exception {
    fails("COMMENT ON TABLE nope IS 'x'", "42P01", "relation \"nope\" does not exist");
    fails("COMMENT ON TABLE v IS 'x'", "42809", "\"v\" is not a table");
    fails("COMMENT ON VIEW t IS 'x'", "42809", "\"t\" is not a view");
    fails("COMMENT ON COLUMN t.nope IS 'x'", "42703", "column \"nope\" of relation \"t\" does not exist");
    fails("COMMENT ON INDEX t_pkey IS 'x'", "0A000", "COMMENT ON INDEX is not supported");
    assertThat(rows("SELECT comment FROM t")).isEmpty();
  }
}
