package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.sql.parser.ParserAssertions.roundTrip;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlIdentifier;
import java.util.List;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.parser.ast.LockStrength;
import org.troupedb.sql.parser.ast.SqlAsOfSystemTime;
import org.troupedb.sql.parser.ast.SqlPgExplain;
import org.troupedb.sql.parser.ast.SqlPgInsert;
import org.troupedb.sql.parser.ast.SqlPgParam;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;
import org.troupedb.sql.parser.ast.SqlSelectLocking;

class QueryParserTest {

  private static SqlNode selectItem(String sql) throws SqlParseException {
    SqlSelect s = roundTrip(sql, SqlSelect.class);
    return s.getSelectList().get(0);
  }

  private static SqlPgTypeNameSpec castType(SqlNode cast) {
    assertThat(cast.getKind()).isEqualTo(SqlKind.CAST);
    SqlDataTypeSpec spec = (SqlDataTypeSpec) ((SqlCall) cast).operand(1);
    return (SqlPgTypeNameSpec) spec.getTypeNameSpec();
  }

  @Test
  void infixCasts() throws Exception {
    assertThat(castType(selectItem("SELECT a::text FROM t")).typeName()).isEqualTo("text");
    assertThat(castType(selectItem("SELECT $1::int")).typeName()).isEqualTo("int4");
    SqlPgTypeNameSpec numeric = castType(selectItem("SELECT x::numeric(10,2) FROM t"));
    assertThat(numeric.precision()).isEqualTo(10);
    assertThat(numeric.scale()).isEqualTo(2);
    assertThat(castType(selectItem("SELECT '2024-01-01'::timestamptz")).typeName())
        .isEqualTo("timestamptz");
    assertThat(castType(selectItem("SELECT 'accounts'::regclass")).typeName()).isEqualTo("regclass");
    assertThat(castType(selectItem("SELECT '2024-01-01'::date")).typeName()).isEqualTo("date");
    assertThat(castType(selectItem("SELECT CAST(a AS text) FROM t")).typeName()).isEqualTo("text");
    // :: binds tighter than +
    SqlBasicCall plus = (SqlBasicCall) selectItem("SELECT 1 + '2'::int");
    assertThat(plus.getKind()).isEqualTo(SqlKind.PLUS);
    assertThat(plus.operand(1).getKind()).isEqualTo(SqlKind.CAST);
  }

  @Test
  void postgresOperators() throws Exception {
    assertThat(selectItem("SELECT a || 'x' FROM t").getKind()).isEqualTo(SqlKind.OTHER);
    assertThat(((SqlCall) selectItem("SELECT a || 'x' FROM t")).getOperator().getName())
        .isEqualTo("||");
    assertThat(((SqlCall) selectItem("SELECT a ILIKE 'x%' FROM t")).getOperator().getName())
        .isEqualTo("ILIKE");
    assertThat(selectItem("SELECT a ~ '^x' FROM t").getKind()).isEqualTo(SqlKind.POSIX_REGEX_CASE_SENSITIVE);
    assertThat(selectItem("SELECT a IS DISTINCT FROM b FROM t").getKind())
        .isEqualTo(SqlKind.IS_DISTINCT_FROM);
    assertThat(selectItem("SELECT a IS NOT DISTINCT FROM b FROM t").getKind())
        .isEqualTo(SqlKind.IS_NOT_DISTINCT_FROM);
    SqlCall count = (SqlCall) selectItem("SELECT COUNT(DISTINCT s_i_id) FROM stock");
    assertThat(count.getFunctionQuantifier().getValue().toString()).isEqualTo("DISTINCT");
    assertThat(selectItem("SELECT a != b FROM t").getKind()).isEqualTo(SqlKind.NOT_EQUALS);
  }

  @Test
  void functionsAndLiterals() throws Exception {
    assertThat(((SqlCall) selectItem("SELECT now()")).getOperator().getName()).isEqualToIgnoringCase("now");
    // Calcite parses niladic context functions as identifiers; the validator resolves them.
    assertThat(((SqlIdentifier) selectItem("SELECT current_timestamp")).getSimple())
        .isEqualTo("current_timestamp");
    SqlCall nextval = (SqlCall) selectItem("SELECT nextval('order_ids')");
    assertThat(nextval.getOperator().getName()).isEqualToIgnoringCase("nextval");
    assertThat(((SqlLiteral) nextval.operand(0)).getValueAs(String.class)).isEqualTo("order_ids");
    assertThat(((SqlLiteral) selectItem("SELECT TRUE")).booleanValue()).isTrue();
    assertThat(((SqlLiteral) selectItem("SELECT false")).booleanValue()).isFalse();
    assertThat(selectItem("SELECT DATE '2024-01-02'").getKind()).isEqualTo(SqlKind.LITERAL);
    assertThat(selectItem("SELECT TIMESTAMP '2024-01-02 03:04:05'").getKind())
        .isEqualTo(SqlKind.LITERAL);
    assertThat(selectItem("SELECT INTERVAL '1' DAY").getKind()).isEqualTo(SqlKind.LITERAL);
  }

  private static SqlIntervalLiteral.IntervalValue interval(String sql) throws SqlParseException {
    SqlNode item = selectItem(sql);
    SqlNode lit = item instanceof SqlIntervalLiteral ? item : ((SqlCall) item).operand(1);
    return (SqlIntervalLiteral.IntervalValue) ((SqlIntervalLiteral) lit).getValue();
  }

  /** {@code interval 'text'} is {@code CAST('text' AS interval)}: the text is read while planning. */
  @Test
  void postgresIntervalText() throws Exception {
    for (String sql : List.of("SELECT interval '1 month 2 days'", "SELECT INTERVAL '-1 day 02:00:00'")) {
      SqlCall cast = (SqlCall) selectItem(sql);
      assertThat(cast.getKind()).isEqualTo(SqlKind.CAST);
      assertThat(((org.apache.calcite.sql.SqlDataTypeSpec) cast.operand(1)).getTypeNameSpec())
          .isInstanceOfSatisfying(org.troupedb.sql.parser.ast.SqlPgTypeNameSpec.class,
              t -> assertThat(t.typeName()).isEqualTo("interval"));
      assertThat(((SqlLiteral) cast.operand(0)).getValueAs(String.class)).isEqualTo(sql.substring(sql.indexOf('\'') + 1,
          sql.length() - 1));
    }
    // interval as a type name, and the standard form with a qualifier still Calcite's
    assertThat(selectItem("SELECT x::interval").getKind()).isEqualTo(SqlKind.CAST);
    assertThat(selectItem("SELECT CAST(x AS INTERVAL DAY)").getKind()).isEqualTo(SqlKind.CAST);
    SqlIntervalLiteral.IntervalValue std = interval("SELECT INTERVAL '3' HOUR");
    assertThat(std.getIntervalQualifier().timeUnitRange).isEqualTo(TimeUnitRange.HOUR);
    assertThat(std.getIntervalLiteral()).isEqualTo("3");
  }

  @Test
  void limitAndOffset() throws Exception {
    SqlOrderBy o = roundTrip("SELECT * FROM t ORDER BY a LIMIT 10 OFFSET 5", SqlOrderBy.class);
    assertThat(((SqlNumericLiteral) o.fetch).intValue(true)).isEqualTo(10);
    assertThat(((SqlNumericLiteral) o.offset).intValue(true)).isEqualTo(5);
    o = roundTrip("SELECT * FROM t OFFSET 5 LIMIT 10", SqlOrderBy.class);
    assertThat(((SqlNumericLiteral) o.fetch).intValue(true)).isEqualTo(10);
    assertThat(((SqlNumericLiteral) o.offset).intValue(true)).isEqualTo(5);
    SqlNode all = TroupeParser.parse("SELECT * FROM t LIMIT ALL");
    assertThat(all).isInstanceOf(SqlSelect.class);
    o = roundTrip("SELECT * FROM t WHERE a > $1 ORDER BY a DESC LIMIT $2 OFFSET $3", SqlOrderBy.class);
    assertThat(((SqlPgParam) o.fetch).number()).isEqualTo(2);
    assertThat(((SqlPgParam) o.offset).number()).isEqualTo(3);
    assertThat(TroupeParser.maxParameterNumber(o)).isEqualTo(3);
    o = roundTrip("SELECT * FROM t OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY", SqlOrderBy.class);
    assertThat(((SqlNumericLiteral) o.fetch).intValue(true)).isEqualTo(3);
    o = roundTrip("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 4", SqlOrderBy.class);
    assertThat(o.query.getKind()).isEqualTo(SqlKind.UNION);
  }

  @Test
  void selectForUpdateAndShare() throws Exception {
    SqlSelectLocking l = roundTrip(
        "SELECT s_quantity FROM stock WHERE s_i_id = $1 AND s_w_id = $2 FOR UPDATE",
        SqlSelectLocking.class);
    assertThat(l.strength()).isEqualTo(LockStrength.UPDATE);
    assertThat(l.nowait()).isFalse();
    assertThat(l.query()).isInstanceOf(SqlSelect.class);
    assertThat(TroupeParser.maxParameterNumber(l)).isEqualTo(2);

    l = roundTrip("select * from t order by a limit 1 for share nowait", SqlSelectLocking.class);
    assertThat(l.strength()).isEqualTo(LockStrength.SHARE);
    assertThat(l.nowait()).isTrue();
    assertThat(l.query()).isInstanceOf(SqlOrderBy.class);

    l = roundTrip("SELECT * FROM a, b FOR NO KEY UPDATE OF a", SqlSelectLocking.class);
    assertThat(l.strength()).isEqualTo(LockStrength.NO_KEY_UPDATE);
    assertThat(l.ofTables().get(0).toString()).isEqualTo("a");
    assertThat(roundTrip("SELECT * FROM a FOR KEY SHARE", SqlSelectLocking.class).strength())
        .isEqualTo(LockStrength.KEY_SHARE);
  }

  @Test
  void multiWordTokensEndAtWordBoundaries() throws Exception {
    SqlCall sub = (SqlCall) selectItem("SELECT substring(s FROM 1 FOR update_len) FROM t");
    assertThat(sub.operand(2).toString()).isEqualTo("update_len");
    sub = (SqlCall) selectItem("SELECT substring(s FROM 1 FOR\n share_x) FROM t");
    assertThat(sub.operand(2).toString()).isEqualTo("share_x");
    assertThat(roundTrip("SELECT * FROM t FOR UPDATE", SqlSelectLocking.class).strength())
        .isEqualTo(LockStrength.UPDATE);
    assertThatThrownBy(() -> TroupeParser.parse("SELECT * FROM t FOR UPDATES"))
        .isInstanceOf(SqlParseException.class);
  }

  @Test
  void asOfSystemTime() throws Exception {
    SqlAsOfSystemTime a = roundTrip("SELECT * FROM accounts AS OF SYSTEM TIME '-10s'",
        SqlAsOfSystemTime.class);
    assertThat(((SqlLiteral) a.timestamp()).getValueAs(String.class)).isEqualTo("-10s");
    assertThat(a.query()).isInstanceOf(SqlSelect.class);
    SqlSelect q = (SqlSelect) a.query();
    assertThat(q.getFrom()).isInstanceOf(SqlIdentifier.class);

    a = roundTrip("SELECT * FROM accounts AS a WHERE a.id = 1 AS OF SYSTEM TIME now()",
        SqlAsOfSystemTime.class);
    assertThat(a.timestamp()).isInstanceOf(SqlCall.class);

    // CockroachDB's own placement: after FROM, before the other clauses
    a = roundTrip("SELECT k, count(*) FROM kv AS OF SYSTEM TIME '-5s' WHERE v > 1 GROUP BY k"
        + " HAVING count(*) > 2 ORDER BY k LIMIT 3", SqlAsOfSystemTime.class);
    SqlOrderBy ordered = (SqlOrderBy) a.query();
    SqlSelect inner = (SqlSelect) ordered.query;
    assertThat(inner.getWhere().getKind()).isEqualTo(SqlKind.GREATER_THAN);
    assertThat(inner.getGroup()).hasSize(1);
    assertThat(inner.getHaving()).isNotNull();
    assertThat(((SqlNumericLiteral) ordered.fetch).intValue(true)).isEqualTo(3);
    a = roundTrip("SELECT * FROM kv AS OF SYSTEM TIME '-5s' ORDER BY k", SqlAsOfSystemTime.class);
    assertThat(a.query()).isInstanceOf(SqlOrderBy.class);
    SqlSelectLocking l = roundTrip("SELECT * FROM kv AS OF SYSTEM TIME '-1s' WHERE k = $1 FOR UPDATE",
        SqlSelectLocking.class);
    assertThat(l.query()).isInstanceOf(SqlAsOfSystemTime.class);
    assertThatThrownBy(() -> TroupeParser.parse(
        "SELECT * FROM kv WHERE k = 1 AS OF SYSTEM TIME '-1s' WHERE k = 2"))
        .isInstanceOfSatisfying(SqlParseException.class,
            e -> assertThat(e.getPos().getColumnNum()).isGreaterThan(50));
    assertThatThrownBy(() -> TroupeParser.parse(
        "SELECT * FROM kv ORDER BY k AS OF SYSTEM TIME '-1s' ORDER BY k"))
        .isInstanceOf(SqlParseException.class);
  }

  @Test
  void explain() throws Exception {
    SqlPgExplain e = roundTrip("EXPLAIN SELECT * FROM t WHERE a = 1", SqlPgExplain.class);
    assertThat(e.analyze()).isFalse();
    assertThat(e.statement()).isInstanceOf(SqlSelect.class);
    e = roundTrip("EXPLAIN ANALYZE INSERT INTO t VALUES (1) RETURNING *", SqlPgExplain.class);
    assertThat(e.analyze()).isTrue();
    assertThat(e.statement()).isInstanceOf(SqlPgInsert.class);
    assertThat(roundTrip("explain verbose select 1", SqlPgExplain.class).verbose()).isTrue();
  }

  @Test
  void commonColumnNamesAreIdentifiers() throws Exception {
    SqlSelect s = roundTrip(
        "SELECT id, name, value, data, key, status, state, level, type FROM kv"
            + " WHERE name = 'a' AND value > 1 AND key = $1 AND status = 'ok'",
        SqlSelect.class);
    assertThat(s.getSelectList().getList()).extracting(Object::toString)
        .containsExactly("id", "name", "value", "data", "key", "status", "state", "level", "type");
    roundTrip("CREATE TABLE kv (key TEXT PRIMARY KEY, value BYTEA, name TEXT, data TEXT,"
        + " status INT)", org.troupedb.sql.parser.ast.SqlCreateTable.class);
  }

  @Test
  void postgresSpellingsOfCalciteKeywords() throws Exception {
    // pgjdbc's Connection.getSchema()
    SqlCall schema = (SqlCall) selectItem("select current_schema()");
    assertThat(schema.getOperator().getName()).isEqualToIgnoringCase("current_schema");
    assertThat(schema.operandCount()).isZero();
    SqlCall as = (SqlCall) selectItem("select count(*) as count from t");
    assertThat(((SqlIdentifier) as.operand(1)).getSimple()).isEqualTo("count");
    assertThat(roundTrip("SELECT year, position FROM t", SqlSelect.class).getSelectList().getList())
        .extracting(Object::toString).containsExactly("year", "position");
    SqlLiteral e = (SqlLiteral) selectItem("SELECT E'a\\nb'");
    assertThat(e.getValueAs(String.class)).isEqualTo("a\nb");
    SqlSelectLocking l = roundTrip("SELECT * FROM q FOR UPDATE SKIP LOCKED", SqlSelectLocking.class);
    assertThat(l.skipLocked()).isTrue();
    assertThat(l.nowait()).isFalse();
  }

  @Test
  void tpccStatements() throws Exception {
    roundTrip("SELECT c_discount, c_last, c_credit, w_tax FROM customer, warehouse"
        + " WHERE w_id = $1 AND c_w_id = w_id AND c_d_id = $2 AND c_id = $3", SqlSelect.class);
    roundTrip("SELECT d_next_o_id, d_tax FROM district WHERE d_w_id = $1 AND d_id = $2 FOR UPDATE",
        SqlSelectLocking.class);
    roundTrip("SELECT c_id FROM customer WHERE c_w_id = $1 AND c_d_id = $2 AND c_last = $3"
        + " ORDER BY c_first", SqlOrderBy.class);
    roundTrip("SELECT COUNT(DISTINCT (s_i_id)) AS stock_count FROM order_line, stock"
        + " WHERE ol_w_id = $1 AND ol_d_id = $2 AND ol_o_id < $3 AND ol_o_id >= $4"
        + " AND s_w_id = $5 AND s_i_id = ol_i_id AND s_quantity < $6", SqlSelect.class);
    roundTrip("SELECT no_o_id FROM new_order WHERE no_d_id = $1 AND no_w_id = $2"
        + " ORDER BY no_o_id ASC LIMIT 1", SqlOrderBy.class);
    roundTrip("SELECT SUM(ol_amount) FROM order_line WHERE ol_o_id = $1 AND ol_d_id = $2"
        + " AND ol_w_id = $3", SqlSelect.class);
  }

  @Test
  void syntaxErrorHasLineAndColumn() {
    assertThatThrownBy(() -> TroupeParser.parse("SELECT a,\n  FROM t"))
        .isInstanceOfSatisfying(SqlParseException.class, e -> {
          assertThat(e.getPos().getLineNum()).isEqualTo(2);
          assertThat(e.getPos().getColumnNum()).isEqualTo(3);
        });
  }
}
