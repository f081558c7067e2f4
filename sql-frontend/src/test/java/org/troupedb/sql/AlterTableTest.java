package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ALTER TABLE's column actions (ADD COLUMN with DEFAULT / NOT NULL, DROP COLUMN, RENAME, ALTER
 * COLUMN SET/DROP DEFAULT, SET/DROP NOT NULL, TYPE) with PostgreSQL 15's results, SQLSTATEs and
 * messages; rows written before a change read as PostgreSQL's would (no table rewrite).
 */
class AlterTableTest implements SessionRunner {
  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = SessionRunner.newSession();
    run("CREATE TABLE t (id int PRIMARY KEY, a int, b text)");
    run("INSERT INTO t VALUES (1, 10, 'x'), (2, NULL, 'y')");
  }

  @Override
  public SqlSession session() {
    return s;
  }

  @Test
  void addColumnWithConstantDefaultFillsOldRowsWithoutRewrite() throws Exception {
    run("ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 5");
    run("ALTER TABLE t ADD COLUMN d text DEFAULT 'd' || 'e'");
    run("INSERT INTO t (id) VALUES (3)");
    run("INSERT INTO t VALUES (4, 40, 'z', 7, NULL)"); // an explicit NULL is not the missing value
    assertThat(rows("SELECT id, c, d FROM t ORDER BY id")).containsExactly(List.of(1, 5, "de"), List.of(2, 5, "de"),
        List.of(3, 5, "de"), Arrays.asList(4, 7, null));
    run("UPDATE t SET d = NULL WHERE id = 1");
    assertThat(rows("SELECT d FROM t WHERE id = 1")).containsExactly(Arrays.asList((Object) null));
    assertThat(rows("SELECT count(*) FROM t WHERE c = 5")).containsExactly(List.of(3L));
    fails("INSERT INTO t (id, c) VALUES (9, NULL)", "23502",
        "null value in column \"c\" of relation \"t\" violates not-null constraint");
    // a new default applies to new rows only; old rows keep the value they had (attmissingval)
    run("ALTER TABLE t ALTER COLUMN c SET DEFAULT 6");
    run("INSERT INTO t (id) VALUES (5)");
    assertThat(rows("SELECT id, c FROM t WHERE id IN (2, 5) ORDER BY id")).containsExactly(List.of(2, 5), List.of(5, 6));
    run("ALTER TABLE t ALTER COLUMN c DROP DEFAULT");
    fails("INSERT INTO t (id) VALUES (6)", "23502",
        "null value in column \"c\" of relation \"t\" violates not-null constraint");
    run("ALTER TABLE t ALTER COLUMN c DROP NOT NULL");
    run("INSERT INTO t (id) VALUES (6)");
    assertThat(rows("SELECT c FROM t WHERE id = 6")).containsExactly(Arrays.asList((Object) null));
  }

  @Test
  void addColumnNotNullErrorsAsPostgres() throws Exception {
    fails("ALTER TABLE t ADD COLUMN c int NOT NULL", "23502", "column \"c\" of relation \"t\" contains null values");
    fails("ALTER TABLE t ADD COLUMN a int", "42701", "column \"a\" of relation \"t\" already exists");
    run("ALTER TABLE t ADD COLUMN IF NOT EXISTS a int");
    // a volatile default is evaluated per existing row (a backfill), as PostgreSQL's rewrite does
    run("ALTER TABLE t ADD COLUMN r float8 NOT NULL DEFAULT random()");
    assertThat(rows("SELECT count(DISTINCT r), min(r) >= 0, max(r) < 1 FROM t")).containsExactly(List.of(2L, true, true));
    run("CREATE SEQUENCE s");
    run("ALTER TABLE t ADD COLUMN n bigint DEFAULT nextval('s')");
    assertThat(rows("SELECT n FROM t ORDER BY n")).containsExactly(List.of(1L), List.of(2L));
    run("INSERT INTO t (id) VALUES (10), (11)"); // per row on INSERT too
    assertThat(rows("SELECT id, n FROM t WHERE id >= 10 ORDER BY id")).containsExactly(List.of(10, 3L), List.of(11, 4L));
    run("CREATE TABLE e (id int PRIMARY KEY)");
    run("ALTER TABLE e ADD COLUMN c int NOT NULL"); // an empty table has no row to violate it
    run("ALTER TABLE e ADD COLUMN r float8 DEFAULT random()");
    run("INSERT INTO e (id, c) VALUES (1, 2)");
    assertThat(rows("SELECT r >= 0 AND r < 1 FROM e")).containsExactly(List.of(true));
    // now() is stable, not volatile: evaluated once for the old rows, as in PostgreSQL
    run("ALTER TABLE t ADD COLUMN at timestamptz DEFAULT now()");
    assertThat(rows("SELECT count(DISTINCT at) FROM t")).containsExactly(List.of(1L));
  }

  @Test
  void dropColumnHidesItEverywhere() throws Exception {
    run("ALTER TABLE t DROP COLUMN a");
    assertThat(run("SELECT * FROM t").columns()).extracting(ColumnInfo::name).containsExactly("id", "b");
    run("INSERT INTO t VALUES (3, 'z')");
    assertThat(rows("SELECT * FROM t ORDER BY id")).containsExactly(List.of(1, "x"), List.of(2, "y"), List.of(3, "z"));
    fails("SELECT a FROM t", "42703", "column \"a\" does not exist");
    assertThat(rows("SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position"))
        .containsExactly(List.of("id"), List.of("b"));
    assertThat(rows("SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0"
        + " AND NOT attisdropped ORDER BY attnum")).containsExactly(List.of("id"), List.of("b"));
    // a column added under the old name starts empty: the dropped values are never read again
    run("ALTER TABLE t ADD COLUMN a text");
    assertThat(rows("SELECT id, a FROM t ORDER BY id")).containsExactly(Arrays.asList(1, null), Arrays.asList(2, null),
        Arrays.asList(3, null));
    fails("ALTER TABLE t DROP COLUMN nope", "42703", "column \"nope\" of relation \"t\" does not exist");
    run("ALTER TABLE t DROP COLUMN IF EXISTS nope");
    fails("ALTER TABLE t DROP COLUMN id", "0A000", "dropping a primary key column is not supported");
    fails("ALTER TABLE t DROP COLUMN b CASCADE", "0A000", "ALTER TABLE DROP COLUMN … CASCADE is not supported");
  }

  @Test
  void dropColumnTakesItsIndexesAndConstraintsButNotViews() throws Exception {
    run("CREATE TABLE c (id int PRIMARY KEY, x int, y int CHECK (y > 0), z int, w int UNIQUE)");
    run("CREATE INDEX c_x_idx ON c (x)");
    run("INSERT INTO c VALUES (1, 1, 1, 1, 1), (2, 2, 2, 2, 2)");
    run("CREATE VIEW cv AS SELECT id, z FROM c");
    run("CREATE TABLE d (id int PRIMARY KEY, cw int REFERENCES c (w))");
    run("ALTER TABLE c DROP COLUMN x");
    run("ALTER TABLE c DROP COLUMN y");
    assertThat(rows("SELECT indexname FROM pg_catalog.pg_indexes WHERE tablename = 'c' ORDER BY indexname"))
        .containsExactly(List.of("c_pkey"), List.of("c_w_key"));
    assertThat(rows("SELECT count(*) FROM pg_catalog.pg_constraint WHERE conrelid = 'c'::regclass AND contype = 'c'"))
        .containsExactly(List.of(0L));
    run("INSERT INTO c VALUES (3, 3, 3)"); // id, z, w: the unique index on w was renumbered, still works
    fails("INSERT INTO c VALUES (4, 4, 3)", "23505", "duplicate key value violates unique constraint \"c_w_key\"");
    assertThat(rows("SELECT * FROM cv ORDER BY id")).containsExactly(List.of(1, 1), List.of(2, 2), List.of(3, 3));
    assertThatThrownBy(() -> run("ALTER TABLE c DROP COLUMN z")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo("2BP01");
      assertThat(e.getMessage()).isEqualTo("cannot drop column z of table c because other objects depend on it");
      assertThat(e.detail()).isEqualTo("view cv depends on column z of table c");
    });
    assertThatThrownBy(() -> run("ALTER TABLE c DROP COLUMN w")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo("2BP01");
      assertThat(e.detail()).isEqualTo("constraint d_cw_fkey on table d depends on column w of table c");
    });
    run("INSERT INTO d VALUES (1, 3)");
    fails("INSERT INTO d VALUES (2, 9)", "23503", "insert or update on table \"d\" violates foreign key constraint"
        + " \"d_cw_fkey\"");
  }

  @Test
  void renames() throws Exception {
    run("ALTER TABLE t RENAME COLUMN a TO aa");
    assertThat(rows("SELECT aa FROM t WHERE id = 1")).containsExactly(List.of(10));
    fails("SELECT a FROM t", "42703", "column \"a\" does not exist");
    fails("ALTER TABLE t RENAME COLUMN nope TO z", "42703", "column \"nope\" does not exist");
    fails("ALTER TABLE t RENAME COLUMN aa TO b", "42701", "column \"b\" of relation \"t\" already exists");
    run("ALTER TABLE t RENAME TO t2");
    assertThat(rows("SELECT id, aa, b FROM t2 ORDER BY id")).containsExactly(List.of(1, 10, "x"),
        Arrays.asList(2, null, "y"));
    fails("SELECT * FROM t", "42P01", "relation \"t\" does not exist");
    run("CREATE TABLE t (id int)");
    fails("ALTER TABLE t2 RENAME TO t", "42P07", "relation \"t\" already exists");
    run("CREATE VIEW v AS SELECT aa FROM t2");
    fails("ALTER TABLE t2 RENAME COLUMN aa TO a", "0A000",
        "renaming column aa, which view v uses (drop and recreate the view) is not supported");
    run("ALTER TABLE t2 RENAME COLUMN b TO bb"); // v does not use b
  }

  @Test
  void setNotNullValidatesRows() throws Exception {
    fails("ALTER TABLE t ALTER COLUMN a SET NOT NULL", "23502", "column \"a\" of relation \"t\" contains null values");
    run("ALTER TABLE t ALTER COLUMN b SET NOT NULL");
    fails("INSERT INTO t VALUES (3, 1, NULL)", "23502",
        "null value in column \"b\" of relation \"t\" violates not-null constraint");
    fails("ALTER TABLE t ALTER COLUMN id DROP NOT NULL", "42P16", "column \"id\" is in a primary key");
    fails("ALTER TABLE t ALTER COLUMN nope SET NOT NULL", "42703", "column \"nope\" of relation \"t\" does not exist");
  }

  @Test
  void alterTypeWidensWithoutRewrite() throws Exception {
    run("CREATE TABLE w (id smallint PRIMARY KEY, i int, r real, v varchar(3), n int, m numeric(5,2))");
    run("CREATE INDEX w_i_idx ON w (i)");
    run("INSERT INTO w VALUES (1, 2147483647, 1.5, 'abc', 7, 123.45)");
    run("ALTER TABLE w ALTER COLUMN id TYPE int");
    run("ALTER TABLE w ALTER COLUMN i TYPE bigint");
    run("ALTER TABLE w ALTER COLUMN r TYPE double precision");
    run("ALTER TABLE w ALTER COLUMN v TYPE varchar(10)");
    run("ALTER TABLE w ALTER COLUMN n TYPE numeric");
    run("ALTER TABLE w ALTER COLUMN m TYPE numeric(7,2)");
    run("INSERT INTO w VALUES (100000, 9000000000, 2.25, 'abcdefgh', 8, 12345.67)");
    assertThat(rows("SELECT id, i, r, v, n = 7 OR n = 8, m FROM w ORDER BY id")).containsExactly(
        List.of(1, 2147483647L, 1.5d, "abc", true, new BigDecimal("123.45")),
        List.of(100000, 9000000000L, 2.25d, "abcdefgh", true, new BigDecimal("12345.67")));
    assertThat(rows("SELECT n FROM w WHERE id = 1")).containsExactly(List.of(new BigDecimal("7")));
    assertThat(rows("SELECT id FROM w WHERE i = 9000000000")).containsExactly(List.of(100000));
    assertThat(rows("SELECT data_type FROM information_schema.columns WHERE table_name = 'w' ORDER BY ordinal_position"))
        .containsExactly(List.of("integer"), List.of("bigint"), List.of("double precision"),
            List.of("character varying"), List.of("numeric"), List.of("numeric"));
    fails("ALTER TABLE w ALTER COLUMN i TYPE int", "0A000",
        "ALTER COLUMN TYPE from bigint to integer (only widening changes are) is not supported");
    fails("ALTER TABLE w ALTER COLUMN i TYPE bigint USING i + 1", "0A000", "ALTER COLUMN TYPE … USING is not supported");
    fails("ALTER TABLE w ALTER COLUMN i TYPE numeric", "0A000",
        "ALTER COLUMN TYPE from bigint to numeric of a column in an index, key or foreign key is not supported");
    run("CREATE VIEW wv AS SELECT n FROM w");
    fails("ALTER TABLE w ALTER COLUMN n TYPE numeric(30,2)", "0A000",
        "cannot alter type of a column used by a view or rule");
  }

  @Test
  void retypedColumnKeepsItsMissingValueAndSurvivesTwoChanges() throws Exception {
    run("ALTER TABLE t ADD COLUMN f real DEFAULT 0.5");
    run("ALTER TABLE t ALTER COLUMN f TYPE double precision");
    run("INSERT INTO t VALUES (3, 3, 'z', 0.25)");
    run("ALTER TABLE t ALTER COLUMN a TYPE bigint"); // in place: same stored form
    run("ALTER TABLE t ALTER COLUMN a TYPE numeric"); // converted on read from the former column id
    assertThat(rows("SELECT id, a, f FROM t ORDER BY id")).containsExactly(
        Arrays.asList(1, new BigDecimal("10"), 0.5d), Arrays.asList(2, null, 0.5d),
        Arrays.asList(3, new BigDecimal("3"), 0.25d));
  }
}
