package org.troupedb.sql.internal.pgcatalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlSession;

/** pg_catalog / information_schema rows and catalog functions follow DDL as it happens. */
class PgCatalogContentTest implements SessionRunner {
  private CatalogSession session;

  @BeforeEach
  void setUp() throws Exception {
    session = new CatalogSession();
    run("CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(10) NOT NULL UNIQUE, c NUMERIC(8,3) DEFAULT 1.5)");
    run("CREATE INDEX t_c_idx ON t (c DESC)");
  }

  @Override
  public SqlSession session() {
    return session.session();
  }

  @Test
  void pgClassFollowsDdl() throws Exception {
    assertThat(rows("SELECT relname, relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
        + " ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY relname"))
        .containsExactly(List.of("t", "r"), List.of("t_b_key", "i"), List.of("t_c_idx", "i"), List.of("t_pkey", "i"));
    run("CREATE TABLE u (x INT)");
    run("DROP INDEX t_c_idx");
    assertThat(rows("SELECT relname FROM pg_class WHERE relnamespace = 2200 ORDER BY relname"))
        .containsExactly(List.of("t"), List.of("t_b_key"), List.of("t_pkey"), List.of("u"));
    // u has a hidden rowid: no column, no index for it
    assertThat(rows("SELECT attname, attnum FROM pg_attribute WHERE attrelid = 'u'::regclass"))
        .containsExactly(List.of("x", (short) 1));
    run("DROP TABLE u");
    assertThat(rows("SELECT count(*) FROM pg_class WHERE relname = 'u'")).containsExactly(List.of(0L));
  }

  @Test
  void columnsTypesAndDefaults() throws Exception {
    assertThat(rows("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        + " (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE d.adrelid = a.attrelid"
        + " AND d.adnum = a.attnum) FROM pg_attribute a WHERE a.attrelid = 'public.t'::regclass ORDER BY attnum"))
        .containsExactly(Arrays.asList("a", "integer", true, null),
            Arrays.asList("b", "character varying(10)", true, null),
            Arrays.asList("c", "numeric(8,3)", false, "1.5"));
    assertThat(rows("SELECT column_name, data_type, is_nullable, ordinal_position FROM information_schema.columns"
        + " WHERE table_name = 't' ORDER BY ordinal_position"))
        .containsExactly(List.of("a", "integer", "NO", 1), List.of("b", "character varying", "NO", 2),
            List.of("c", "numeric", "YES", 3));
  }

  @Test
  void indexAndConstraintDefinitions() throws Exception {
    assertThat(rows("SELECT c.relname, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true), i.indisprimary,"
        + " i.indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid ORDER BY 1"))
        .containsExactly(List.of("t_b_key", "CREATE UNIQUE INDEX t_b_key ON public.t USING btree (b)", false, true),
            List.of("t_c_idx", "CREATE INDEX t_c_idx ON public.t USING btree (c DESC)", false, false),
            List.of("t_pkey", "CREATE UNIQUE INDEX t_pkey ON public.t USING btree (a)", true, true));
    assertThat(rows("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint ORDER BY 1"))
        .containsExactly(List.of("t_b_key", "u", "UNIQUE (b)"), List.of("t_pkey", "p", "PRIMARY KEY (a)"));
    assertThat(rows("SELECT constraint_name, constraint_type FROM information_schema.table_constraints ORDER BY 1"))
        .containsExactly(List.of("t_b_key", "UNIQUE"), List.of("t_pkey", "PRIMARY KEY"));
    assertThat(rows("SELECT column_name, ordinal_position FROM information_schema.key_column_usage"
        + " WHERE constraint_name = 't_pkey'")).containsExactly(List.of("a", 1));
  }

  @Test
  void regexOperatorsCollateAndFunctions() throws Exception {
    assertThat(rows("SELECT relname FROM pg_catalog.pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$'"
        + " COLLATE pg_catalog.default")).containsExactly(List.of("t"));
    assertThat(rows("SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' ORDER BY 1"))
        .containsExactly(List.of("information_schema"), List.of("public"));
    assertThat(rows("SELECT pg_catalog.pg_get_userbyid(10), pg_encoding_to_char(6), 23::pg_catalog.regtype::text,"
        + " current_database(), pg_table_is_visible('t'::regclass), has_table_privilege('t', 'SELECT')"))
        .containsExactly(List.of("root", "UTF8", "23", "defaultdb", true, true));
    assertThat(rows("SELECT datname FROM pg_database ORDER BY 1")).containsExactly(List.of("defaultdb"), List.of("postgres"));
  }

  @Test
  void alwaysEmptyRelationsAnswerEmptyEvenForUnplannableExpressions() throws Exception {
    // '= any(text column)' and an unknown function: fine, since pg_policy has no rows ...
    assertThat(rows("SELECT p.polname, 'r' = any(p.polcmd), no_such_function(p.oid) FROM pg_catalog.pg_policy p"
        + " ORDER BY p.polname")).isEmpty();
    // ... but an aggregate over it has a row, so it is planned for real
    assertThat(rows("SELECT count(*) FROM pg_catalog.pg_policy")).containsExactly(List.of(0L));
  }
}
