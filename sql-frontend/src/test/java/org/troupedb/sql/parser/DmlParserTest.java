package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.sql.parser.ParserAssertions.roundTrip;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlUpdate;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.parser.ast.SqlOnConflict;
import org.troupedb.sql.parser.ast.SqlPgInsert;
import org.troupedb.sql.parser.ast.SqlPgParam;
import org.troupedb.sql.parser.ast.SqlReturning;

class DmlParserTest {

  @Test
  void plainInsertStaysCalcite() throws Exception {
    SqlInsert i = roundTrip("INSERT INTO kv (key, value) VALUES ($1, $2), (3, 'x')", SqlInsert.class);
    assertThat(i.getTargetColumnList().getList()).extracting(Object::toString)
        .containsExactly("key", "value");
    assertThat(i.getSource().getKind()).isEqualTo(SqlKind.VALUES);
    assertThat(TroupeParser.maxParameterNumber(i)).isEqualTo(2);
    roundTrip("INSERT INTO t SELECT a, b FROM s WHERE a > 1", SqlInsert.class);
  }

  @Test
  void insertOnConflictDoNothingReturning() throws Exception {
    SqlPgInsert i = roundTrip(
        "INSERT INTO kv (k, v) VALUES (1, 2) ON CONFLICT (k) DO NOTHING RETURNING *, v AS val",
        SqlPgInsert.class);
    assertThat(i.upsert()).isFalse();
    assertThat(i.defaultValues()).isFalse();
    assertThat(i.insert().getTargetTable().toString()).isEqualTo("kv");
    SqlOnConflict oc = i.onConflict();
    assertThat(oc.doNothing()).isTrue();
    assertThat(oc.conflictColumns().getList()).extracting(Object::toString).containsExactly("k");
    assertThat(i.returning()).hasSize(2);
    assertThat(((SqlIdentifier) i.returning().get(0)).isStar()).isTrue();
    assertThat(i.returning().get(1).getKind()).isEqualTo(SqlKind.AS);
  }

  @Test
  void insertOnConflictDoUpdateWithExcluded() throws Exception {
    SqlPgInsert i = roundTrip(
        "INSERT INTO stock (s_i_id, s_quantity) VALUES ($1, $2)"
            + " ON CONFLICT (s_i_id) DO UPDATE SET s_quantity = stock.s_quantity + EXCLUDED.s_quantity,"
            + " s_ytd = 0 WHERE stock.s_quantity < 10",
        SqlPgInsert.class);
    SqlOnConflict oc = i.onConflict();
    assertThat(oc.doNothing()).isFalse();
    assertThat(oc.updateColumns().getList()).extracting(Object::toString)
        .containsExactly("s_quantity", "s_ytd");
    SqlBasicCall plus = (SqlBasicCall) oc.updateValues().get(0);
    assertThat(plus.getKind()).isEqualTo(SqlKind.PLUS);
    assertThat(((SqlIdentifier) plus.operand(1)).names).containsExactly("excluded", "s_quantity");
    assertThat(oc.where().getKind()).isEqualTo(SqlKind.LESS_THAN);
    assertThat(i.returning()).isNull();
    assertThat(TroupeParser.maxParameterNumber(i)).isEqualTo(2);
  }

  @Test
  void insertOnConflictOnConstraint() throws Exception {
    SqlPgInsert i = roundTrip("INSERT INTO kv VALUES (1, 2) ON CONFLICT ON CONSTRAINT kv_pkey DO NOTHING",
        SqlPgInsert.class);
    assertThat(i.onConflict().constraintName().getSimple()).isEqualTo("kv_pkey");
    assertThat(i.onConflict().conflictColumns()).isNull();
    assertThat(i.onConflict().doNothing()).isTrue();
  }

  @Test
  void upsertAndDefaultValues() throws Exception {
    SqlPgInsert u = roundTrip("UPSERT INTO kv (k, v) VALUES (1, 2)", SqlPgInsert.class);
    assertThat(u.upsert()).isTrue();
    assertThat(u.insert().isUpsert()).isTrue();
    assertThat(u.onConflict()).isNull();

    SqlPgInsert d = roundTrip("INSERT INTO log DEFAULT VALUES RETURNING id", SqlPgInsert.class);
    assertThat(d.defaultValues()).isTrue();
    assertThat(d.returning().get(0).toString()).isEqualTo("id");
  }

  @Test
  void updateAndDeleteReturning() throws Exception {
    SqlUpdate plain = roundTrip("UPDATE district SET d_next_o_id = d_next_o_id + 1"
        + " WHERE d_w_id = $1 AND d_id = $2", SqlUpdate.class);
    assertThat(plain.getTargetColumnList().get(0).toString()).isEqualTo("d_next_o_id");
    assertThat(TroupeParser.maxParameterNumber(plain)).isEqualTo(2);

    SqlReturning r = roundTrip("UPDATE accounts SET balance = balance - $1 WHERE id = $2"
        + " RETURNING balance", SqlReturning.class);
    assertThat(r.dml()).isInstanceOf(SqlUpdate.class);
    assertThat(r.returning()).hasSize(1);
    assertThat(TroupeParser.maxParameterNumber(r)).isEqualTo(2);

    SqlDelete d = roundTrip("DELETE FROM new_order WHERE no_o_id = 5", SqlDelete.class);
    assertThat(d.getCondition()).isNotNull();
    SqlReturning dr = roundTrip("DELETE FROM new_order RETURNING no_o_id AS id", SqlReturning.class);
    assertThat(dr.dml()).isInstanceOf(SqlDelete.class);
    assertThat(((SqlDelete) dr.dml()).getCondition()).isNull();
  }

  @Test
  void dollarParameterUsedTwiceIsOneParameter() throws Exception {
    SqlUpdate u = (SqlUpdate) TroupeParser.parse("UPDATE t SET a = $1, b = $1 WHERE c = $3");
    SqlPgParam first = (SqlPgParam) u.getSourceExpressionList().get(0);
    SqlPgParam second = (SqlPgParam) u.getSourceExpressionList().get(1);
    assertThat(first.number()).isEqualTo(1);
    assertThat(first.getIndex()).isEqualTo(0);
    assertThat(second.getIndex()).isEqualTo(first.getIndex());
    assertThat(TroupeParser.maxParameterNumber(u)).isEqualTo(3);
    assertThat(ParserAssertions.unparse(u)).contains("$1").contains("$3");
  }
}
