package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.sql.parser.ParserAssertions.roundTrip;

import java.util.List;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.parser.SqlParseException;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.PgType;
import org.troupedb.sql.parser.ast.SqlColumnDef;
import org.troupedb.sql.parser.ast.SqlCreateDatabase;
import org.troupedb.sql.parser.ast.SqlCreateIndex;
import org.troupedb.sql.parser.ast.SqlCreateSequence;
import org.troupedb.sql.parser.ast.SqlCreateTable;
import org.troupedb.sql.parser.ast.SqlDropDatabase;
import org.troupedb.sql.parser.ast.SqlDropIndex;
import org.troupedb.sql.parser.ast.SqlDropSequence;
import org.troupedb.sql.parser.ast.SqlDropTable;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;
import org.troupedb.sql.parser.ast.SqlTableConstraint;
import org.troupedb.sql.parser.ast.SqlTruncateTable;

class DdlParserTest {

  @Test
  void createAndDropDatabase() throws Exception {
    SqlCreateDatabase c = roundTrip("CREATE DATABASE IF NOT EXISTS Bank", SqlCreateDatabase.class);
    assertThat(c.name().getSimple()).isEqualTo("bank");
    assertThat(c.ifNotExists()).isTrue();
    assertThat(roundTrip("create database bank", SqlCreateDatabase.class).ifNotExists()).isFalse();

    SqlDropDatabase d = roundTrip("DROP DATABASE IF EXISTS bank", SqlDropDatabase.class);
    assertThat(d.name().getSimple()).isEqualTo("bank");
    assertThat(d.ifExists()).isTrue();
  }

  @Test
  void createTableWithColumnsAndConstraints() throws Exception {
    SqlCreateTable t = roundTrip(
        "CREATE TABLE IF NOT EXISTS accounts ("
            + " id BIGSERIAL PRIMARY KEY,"
            + " name VARCHAR(64) NOT NULL UNIQUE,"
            + " balance NUMERIC(12, 2) DEFAULT 0 NOT NULL,"
            + " created TIMESTAMPTZ DEFAULT now(),"
            + " note TEXT NULL,"
            + " CONSTRAINT acc_name UNIQUE (name, created),"
            + " PRIMARY KEY (id))",
        SqlCreateTable.class);
    assertThat(t.name().getSimple()).isEqualTo("accounts");
    assertThat(t.ifNotExists()).isTrue();
    List<SqlColumnDef> cols = t.columns();
    assertThat(cols).extracting(c -> c.name().getSimple())
        .containsExactly("id", "name", "balance", "created", "note");

    SqlColumnDef id = cols.get(0);
    assertThat(id.pgType().typeName()).isEqualTo("int8");
    assertThat(id.pgType().serial()).isTrue();
    assertThat(id.primaryKey()).isTrue();

    SqlColumnDef name = cols.get(1);
    assertThat(name.pgType().pgType()).isEqualTo(PgType.VARCHAR);
    assertThat(name.pgType().precision()).isEqualTo(64);
    assertThat(name.notNull()).isTrue();
    assertThat(name.unique()).isTrue();

    SqlColumnDef balance = cols.get(2);
    assertThat(balance.pgType().typeName()).isEqualTo("numeric");
    assertThat(balance.pgType().precision()).isEqualTo(12);
    assertThat(balance.pgType().scale()).isEqualTo(2);
    assertThat(balance.notNull()).isTrue();
    assertThat(((SqlLiteral) balance.defaultValue()).intValue(true)).isZero();

    SqlColumnDef created = cols.get(3);
    assertThat(created.pgType().pgType()).isEqualTo(PgType.TIMESTAMPTZ);
    assertThat(created.defaultValue().getKind()).isEqualTo(SqlKind.OTHER_FUNCTION);
    assertThat(cols.get(4).notNull()).isFalse();
    assertThat(cols.get(4).defaultValue()).isNull();

    List<SqlTableConstraint> cons = t.constraints();
    assertThat(cons).hasSize(2);
    assertThat(cons.get(0).name().getSimple()).isEqualTo("acc_name");
    assertThat(cons.get(0).primaryKey()).isFalse();
    assertThat(cons.get(0).columnNames()).containsExactly("name", "created");
    assertThat(cons.get(1).name()).isNull();
    assertThat(cons.get(1).primaryKey()).isTrue();
    assertThat(cons.get(1).columnNames()).containsExactly("id");
  }

  @Test
  void defaultExpressionsStopAtColumnConstraints() throws Exception {
    SqlCreateTable t = roundTrip(
        "CREATE TABLE t (a INT DEFAULT -1 NOT NULL, b TEXT DEFAULT 'x'::text NULL,"
            + " c INT DEFAULT 1 + 2 PRIMARY KEY, d BIGINT DEFAULT nextval('t_d_seq'::regclass),"
            + " e TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP UNIQUE, f BOOL DEFAULT false)",
        SqlCreateTable.class);
    List<SqlColumnDef> cols = t.columns();
    assertThat(cols.get(0).notNull()).isTrue();
    assertThat(cols.get(0).defaultValue().toString()).isEqualTo("-1");
    assertThat(cols.get(1).defaultValue().getKind()).isEqualTo(SqlKind.CAST);
    assertThat(cols.get(2).defaultValue().getKind()).isEqualTo(SqlKind.PLUS);
    assertThat(cols.get(2).primaryKey()).isTrue();
    assertThat(cols.get(3).defaultValue().getKind()).isEqualTo(SqlKind.OTHER_FUNCTION);
    assertThat(cols.get(4).unique()).isTrue();
    assertThat(((SqlLiteral) cols.get(5).defaultValue()).booleanValue()).isFalse();
  }

  @Test
  void everyPostgresTypeNameMapsToItsTypname() throws Exception {
    String[][] cases = {
        {"BOOLEAN", "bool"}, {"BOOL", "bool"},
        {"SMALLINT", "int2"}, {"INT2", "int2"},
        {"INTEGER", "int4"}, {"INT", "int4"}, {"INT4", "int4"},
        {"BIGINT", "int8"}, {"INT8", "int8"},
        {"REAL", "float4"}, {"FLOAT4", "float4"},
        {"DOUBLE PRECISION", "float8"}, {"FLOAT8", "float8"}, {"FLOAT", "float8"},
        {"NUMERIC(10, 2)", "numeric"}, {"DECIMAL(5, 1)", "numeric"}, {"NUMERIC", "numeric"},
        {"VARCHAR(20)", "varchar"}, {"CHARACTER VARYING(20)", "varchar"}, {"VARCHAR", "varchar"},
        {"CHAR(2)", "bpchar"}, {"CHARACTER(2)", "bpchar"}, {"BPCHAR", "bpchar"},
        {"TEXT", "text"}, {"DATE", "date"},
        {"TIMESTAMP", "timestamp"}, {"TIMESTAMP WITHOUT TIME ZONE", "timestamp"},
        {"TIMESTAMPTZ", "timestamptz"}, {"TIMESTAMP WITH TIME ZONE", "timestamptz"},
        {"BYTEA", "bytea"},
        {"SERIAL", "int4"}, {"SERIAL4", "int4"}, {"BIGSERIAL", "int8"}, {"SERIAL8", "int8"},
        {"SMALLSERIAL", "int2"},
    };
    for (String[] c : cases) {
      SqlCreateTable t = roundTrip("CREATE TABLE t (c " + c[0] + ")", SqlCreateTable.class);
      SqlPgTypeNameSpec type = t.columns().get(0).pgType();
      assertThat(type.typeName()).as(c[0]).isEqualTo(c[1]);
      assertThat(type.pgType()).as(c[0]).isNotNull();
      assertThat(type.sqlTypeName()).as(c[0]).isNotNull();
      assertThat(type.serial()).as(c[0]).isEqualTo(c[0].contains("SERIAL"));
    }
  }

  @Test
  void pgbenchInitSchema() throws Exception {
    SqlCreateTable t = roundTrip("create table pgbench_tellers(tid int not null,bid int,tbalance int,"
        + "filler char(84)) with (fillfactor=100)", SqlCreateTable.class);
    assertThat(t.columns()).hasSize(4);
    assertThat(t.withOptions()).hasSize(1);
    assertThat(t.withOptions().get(0).getKind()).isEqualTo(SqlKind.EQUALS);
    assertThat(roundTrip("create table pgbench_history(tid int,bid int,aid    int,delta int,"
        + "mtime timestamp,filler char(22))", SqlCreateTable.class).withOptions()).isNull();
    assertThat(roundTrip("drop table if exists pgbench_accounts, pgbench_branches,"
        + " pgbench_history, pgbench_tellers", SqlDropTable.class).names()).hasSize(4);
  }

  @Test
  void dropAndTruncateTables() throws Exception {
    SqlDropTable d = roundTrip("DROP TABLE IF EXISTS a, s.b CASCADE", SqlDropTable.class);
    assertThat(d.names()).extracting(Object::toString).containsExactly("a", "s.b");
    assertThat(d.ifExists()).isTrue();
    assertThat(d.cascade()).isTrue();
    SqlDropTable plain = roundTrip("DROP TABLE a RESTRICT", SqlDropTable.class);
    assertThat(plain.ifExists()).isFalse();
    assertThat(plain.cascade()).isFalse();

    SqlTruncateTable t = roundTrip("TRUNCATE TABLE a, b", SqlTruncateTable.class);
    assertThat(t.names()).extracting(Object::toString).containsExactly("a", "b");
    assertThat(roundTrip("truncate orders", SqlTruncateTable.class).names()).hasSize(1);
  }

  @Test
  void createAndDropIndex() throws Exception {
    SqlCreateIndex i = roundTrip(
        "CREATE UNIQUE INDEX IF NOT EXISTS cust_idx ON customer USING btree (c_w_id, c_last DESC, c_first ASC)",
        SqlCreateIndex.class);
    assertThat(i.unique()).isTrue();
    assertThat(i.ifNotExists()).isTrue();
    assertThat(i.name().getSimple()).isEqualTo("cust_idx");
    assertThat(i.table().getSimple()).isEqualTo("customer");
    assertThat(i.using()).isEqualTo("btree");
    assertThat(i.columnNames()).containsExactly("c_w_id", "c_last", "c_first");
    assertThat(i.descending()).containsExactly(false, true, false);
    assertThat(((SqlBasicCall) i.columns().get(1)).getKind()).isEqualTo(SqlKind.DESCENDING);

    SqlCreateIndex anon = roundTrip("create index on t (a)", SqlCreateIndex.class);
    assertThat(anon.name()).isNull();
    assertThat(anon.unique()).isFalse();
    assertThat(anon.using()).isNull();

    SqlDropIndex d = roundTrip("DROP INDEX IF EXISTS cust_idx", SqlDropIndex.class);
    assertThat(d.name().getSimple()).isEqualTo("cust_idx");
    assertThat(d.ifExists()).isTrue();
  }

  @Test
  void createSequenceWithEveryOption() throws Exception {
    SqlCreateSequence s = roundTrip(
        "CREATE SEQUENCE IF NOT EXISTS order_ids AS bigint INCREMENT BY -2 MINVALUE -100"
            + " MAXVALUE 1000 START WITH 10 CACHE 20 CYCLE",
        SqlCreateSequence.class);
    assertThat(s.name().getSimple()).isEqualTo("order_ids");
    assertThat(s.ifNotExists()).isTrue();
    assertThat(((SqlPgTypeNameSpec) s.dataType().getTypeNameSpec()).typeName()).isEqualTo("int8");
    assertThat(s.increment()).isEqualTo(-2L);
    assertThat(s.minValue()).isEqualTo(-100L);
    assertThat(s.maxValue()).isEqualTo(1000L);
    assertThat(s.start()).isEqualTo(10L);
    assertThat(s.cache()).isEqualTo(20L);
    assertThat(s.cycle()).isTrue();

    SqlCreateSequence bare = roundTrip(
        "create sequence s increment 5 no minvalue no maxvalue start 3 no cycle", SqlCreateSequence.class);
    assertThat(bare.increment()).isEqualTo(5L);
    assertThat(bare.minValue()).isNull();
    assertThat(bare.maxValue()).isNull();
    assertThat(bare.start()).isEqualTo(3L);
    assertThat(bare.cycle()).isFalse();
    assertThat(bare.dataType()).isNull();

    SqlDropSequence d = roundTrip("DROP SEQUENCE IF EXISTS s", SqlDropSequence.class);
    assertThat(d.name().getSimple()).isEqualTo("s");
    assertThat(d.ifExists()).isTrue();
  }

  @Test
  void tpccSchemaParses() throws Exception {
    SqlCreateTable t = roundTrip(
        "CREATE TABLE district (d_id INT NOT NULL, d_w_id INT NOT NULL, d_name VARCHAR(10),"
            + " d_street_1 VARCHAR(20), d_state CHAR(2), d_zip CHAR(9), d_tax DECIMAL(4,4),"
            + " d_ytd DECIMAL(12,2), d_next_o_id INT, PRIMARY KEY (d_w_id, d_id))",
        SqlCreateTable.class);
    assertThat(t.columns()).hasSize(9);
    assertThat(t.constraints().get(0).columnNames()).containsExactly("d_w_id", "d_id");
    roundTrip("CREATE TABLE order_line (ol_o_id INT NOT NULL, ol_d_id INT NOT NULL,"
        + " ol_w_id INT NOT NULL, ol_number INT NOT NULL, ol_i_id INT, ol_supply_w_id INT,"
        + " ol_delivery_d TIMESTAMP, ol_quantity INT, ol_amount DECIMAL(6,2), ol_dist_info CHAR(24),"
        + " PRIMARY KEY (ol_w_id, ol_d_id, ol_o_id, ol_number))", SqlCreateTable.class);
  }

  @Test
  void badDdlFailsWithPosition() {
    assertThatThrownBy(() -> TroupeParser.parse("CREATE TABLE t (a INT,)"))
        .isInstanceOfSatisfying(SqlParseException.class,
            e -> assertThat(e.getPos().getColumnNum()).isEqualTo(23));
  }
}
