package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.internal.types.PgUuid;
import org.troupedb.testkit.InMemoryTxnService;

/** The uuid type in process: input forms, storage, keys, parameters, gen_random_uuid (TypesIT diffs it with PostgreSQL). */
class UuidTypeTest implements SessionRunner {
  private static final UUID A = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  private static final UUID F = UUID.fromString("f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  private static final UUID ONE = UUID.fromString("00000000-0000-0000-0000-000000000001");

  private SqlSession s;

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(new InMemoryTxnService()).openSession(new SessionParams("root", "postgres", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }

  @Test
  void inputFormsAsUuidIn() throws Exception {
    assertThat(PgUuid.parse("{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}")).isEqualTo(A);
    assertThat(PgUuid.parse("a0eebc999c0b4ef8bb6d6bb9bd380a11")).isEqualTo(A);
    assertThat(PgUuid.parse(" a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11 ")).isEqualTo(A);
    for (String bad : List.of("", "a0eebc99", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11x", "-a0eebc999c0b4ef8bb6d6bb9bd380a11")) {
      assertThatThrownBy(() -> PgUuid.parse(bad)).isInstanceOf(SqlException.class)
          .hasMessage("invalid input syntax for type uuid: \"" + bad + "\"");
    }
    assertThat(PgUuid.fromBytes(PgUuid.bytes(F), 0)).isEqualTo(F);
    assertThat(PgUuid.compare(ONE, F)).isNegative(); // unsigned, where UUID.compareTo says positive
  }

  @Test
  void columnsKeysAndIndexes() throws Exception {
    rows("CREATE TABLE u (id uuid PRIMARY KEY, n int, v uuid)");
    rows("INSERT INTO u VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1, '{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A12}'),"
        + " ('f0eebc999c0b4ef8bb6d6bb9bd380a11', 2, NULL), ('00000000-0000-0000-0000-000000000001', 3, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')");
    assertThat(rows("SELECT id FROM u ORDER BY id")).extracting(r -> r.get(0)).containsExactly(ONE, A, F);
    assertThat(rows("SELECT n FROM u WHERE id = $1", F)).containsExactly(List.of(2));
    assertThat(rows("SELECT n FROM u WHERE id = 'F0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'")).containsExactly(List.of(2));
    assertThat(rows("SELECT n FROM u WHERE id > 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'")).containsExactly(List.of(2));
    assertThat(rows("SELECT a.n, b.n FROM u a JOIN u b ON a.v = b.id")).containsExactly(List.of(3, 1));
    assertThat(rows("SELECT id::text, v::text FROM u WHERE n = 1").get(0))
        .containsExactly("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12");
    rows("CREATE INDEX u_v ON u (v)");
    assertThat(rows("SELECT n FROM u WHERE v = $1", A)).containsExactly(List.of(3));
    rows("UPDATE u SET v = $1 WHERE id = $2", F, ONE);
    assertThat(rows("SELECT n FROM u WHERE v = 'f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'")).containsExactly(List.of(3));
    rows("DELETE FROM u WHERE id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'");
    assertThat(rows("SELECT count(*), count(DISTINCT v) FROM u")).containsExactly(List.of(2L, 1L));
    assertThatThrownBy(() -> rows("SELECT max(id) FROM u")).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo(SqlState.UNDEFINED_FUNCTION); // PostgreSQL 15 has no max(uuid)
      assertThat(e.getMessage()).isEqualTo("function max(uuid) does not exist");
    });
    assertThatThrownBy(() -> rows("INSERT INTO u VALUES ('f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 4, NULL)"))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo(SqlState.UNIQUE_VIOLATION));
  }

  @Test
  void castsAndErrors() throws Exception {
    assertThat(rows("SELECT '{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}'::uuid, CAST('a0eebc999c0b4ef8bb6d6bb9bd380a11' AS uuid)::text")
        .get(0)).containsExactly(A, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(result("SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid").columns().get(0).type()).isEqualTo(PgType.UUID);
    assertThatThrownBy(() -> rows("SELECT 'nope'::uuid")).isInstanceOf(SqlException.class)
        .hasMessage("invalid input syntax for type uuid: \"nope\"")
        .isInstanceOfSatisfying(SqlException.class,
            e -> assertThat(e.sqlState()).isEqualTo(SqlState.INVALID_TEXT_REPRESENTATION));
    rows("CREATE TABLE t (id int PRIMARY KEY, s text)");
    rows("INSERT INTO t VALUES (1, 'bad')");
    assertThatThrownBy(() -> rows("SELECT s::uuid FROM t")).isInstanceOf(SqlException.class)
        .hasMessage("invalid input syntax for type uuid: \"bad\"");
    rows("CREATE TABLE u (id uuid PRIMARY KEY)");
    assertThatThrownBy(() -> rows("INSERT INTO u VALUES ('xyz')")).isInstanceOf(SqlException.class)
        .hasMessage("invalid input syntax for type uuid: \"xyz\"");
    assertThatThrownBy(() -> rows("INSERT INTO u VALUES ($1)", "xyz")).isInstanceOf(SqlException.class)
        .hasMessage("invalid input syntax for type uuid: \"xyz\"");
  }

  @Test
  void genRandomUuidIsVersion4AndPerRowAsDefault() throws Exception {
    UUID u = (UUID) rows("SELECT gen_random_uuid()").get(0).get(0);
    assertThat(u.version()).isEqualTo(4);
    rows("CREATE TABLE g (id uuid DEFAULT gen_random_uuid() PRIMARY KEY, n int)");
    rows("INSERT INTO g (n) VALUES (1), (2), (3)");
    rows("INSERT INTO g (n) SELECT n + 10 FROM g");
    assertThat(rows("SELECT count(DISTINCT id), count(*) FROM g")).containsExactly(List.of(6L, 6L));
  }

  @Test
  void aVolatileCallNestedInADefaultIsEvaluatedPerRowAndAStableOneOncePerStatement() throws Exception {
    rows("CREATE TABLE vd (k int PRIMARY KEY, r int DEFAULT floor(random() * 1000000000)::int, "
        + "t text DEFAULT upper('random(') || 'x')");
    rows("INSERT INTO vd (k) SELECT g FROM generate_series(1, 20) g");
    // PostgreSQL draws random() for each row; 20 equal draws out of 10^9 cannot happen by chance
    assertThat(rows("SELECT count(DISTINCT r) > 1, count(DISTINCT t), min(t) FROM vd"))
        .containsExactly(List.of(true, 1L, "RANDOM(x"));
  }

  private StatementResult result(String sql) throws SqlException {
    return run(sql);
  }
}
