package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.sql.parser.ParserAssertions.roundTrip;

import org.junit.jupiter.api.Test;
import org.troupedb.sql.parser.ast.SqlAlterTable;
import org.troupedb.sql.parser.ast.SqlAlterTable.Action;

class AlterTableParserTest {

  @Test
  void addPrimaryKeyAsPgbenchDoes() throws Exception {
    SqlAlterTable a = roundTrip("alter table pgbench_branches add primary key (bid)",
        SqlAlterTable.class);
    assertThat(a.name().getSimple()).isEqualTo("pgbench_branches");
    assertThat(a.action()).isEqualTo(Action.ADD_CONSTRAINT);
    assertThat(((org.troupedb.sql.parser.ast.SqlTableConstraint) a.constraint()).primaryKey()).isTrue();
    assertThat(((org.troupedb.sql.parser.ast.SqlTableConstraint) a.constraint()).columnNames()).containsExactly("bid");
    assertThat(a.column()).isNull();

    a = roundTrip("ALTER TABLE t ADD CONSTRAINT t_u UNIQUE (a, b)", SqlAlterTable.class);
    assertThat(((org.troupedb.sql.parser.ast.SqlTableConstraint) a.constraint()).name().getSimple()).isEqualTo("t_u");
    assertThat(((org.troupedb.sql.parser.ast.SqlTableConstraint) a.constraint()).primaryKey()).isFalse();
  }

  @Test
  void addAndDropColumns() throws Exception {
    SqlAlterTable a = roundTrip("ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c INT DEFAULT 0 NOT NULL",
        SqlAlterTable.class);
    assertThat(a.ifExists()).isTrue();
    assertThat(a.action()).isEqualTo(Action.ADD_COLUMN);
    assertThat(a.columnIfExists()).isTrue();
    assertThat(a.column().name().getSimple()).isEqualTo("c");
    assertThat(a.column().notNull()).isTrue();

    a = roundTrip("ALTER TABLE t ADD note TEXT", SqlAlterTable.class);
    assertThat(a.action()).isEqualTo(Action.ADD_COLUMN);
    assertThat(a.column().pgType().typeName()).isEqualTo("text");
    assertThat(a.columnIfExists()).isFalse();

    a = roundTrip("ALTER TABLE t DROP COLUMN IF EXISTS note CASCADE", SqlAlterTable.class);
    assertThat(a.action()).isEqualTo(Action.DROP_COLUMN);
    assertThat(a.columnName().getSimple()).isEqualTo("note");
    assertThat(a.columnIfExists()).isTrue();
    assertThat(a.cascade()).isTrue();
    assertThat(roundTrip("ALTER TABLE t DROP note", SqlAlterTable.class).cascade()).isFalse();
  }

  @Test
  void alterColumnActions() throws Exception {
    SqlAlterTable a = roundTrip("ALTER TABLE t ALTER COLUMN c SET DEFAULT 1 + 2", SqlAlterTable.class);
    assertThat(a.action()).isEqualTo(Action.SET_DEFAULT);
    assertThat(a.columnName().getSimple()).isEqualTo("c");
    assertThat(a.value().toString()).isEqualTo("1 + 2");
    assertThat(roundTrip("ALTER TABLE t ALTER c DROP DEFAULT", SqlAlterTable.class).action())
        .isEqualTo(Action.DROP_DEFAULT);
    assertThat(roundTrip("ALTER TABLE t ALTER COLUMN c SET NOT NULL", SqlAlterTable.class).action())
        .isEqualTo(Action.SET_NOT_NULL);
    assertThat(roundTrip("ALTER TABLE t ALTER COLUMN c DROP NOT NULL", SqlAlterTable.class).action())
        .isEqualTo(Action.DROP_NOT_NULL);
    a = roundTrip("ALTER TABLE t ALTER COLUMN c SET DATA TYPE bigint", SqlAlterTable.class);
    assertThat(a.action()).isEqualTo(Action.ALTER_TYPE);
    assertThat(a.using()).isNull();
    a = roundTrip("ALTER TABLE t ALTER c TYPE varchar(20) USING c || 'x'", SqlAlterTable.class);
    assertThat(a.action()).isEqualTo(Action.ALTER_TYPE);
    assertThat(a.using()).isNotNull();
  }

  @Test
  void renames() throws Exception {
    SqlAlterTable a = roundTrip("ALTER TABLE t RENAME TO u", SqlAlterTable.class);
    assertThat(a.action()).isEqualTo(Action.RENAME_TABLE);
    assertThat(a.newName().getSimple()).isEqualTo("u");
    a = roundTrip("ALTER TABLE t RENAME COLUMN a TO b", SqlAlterTable.class);
    assertThat(a.action()).isEqualTo(Action.RENAME_COLUMN);
    assertThat(a.columnName().getSimple()).isEqualTo("a");
    assertThat(a.newName().getSimple()).isEqualTo("b");
  }
}
