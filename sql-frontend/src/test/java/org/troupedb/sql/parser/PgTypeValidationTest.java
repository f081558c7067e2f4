package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.ValidationException;
import org.junit.jupiter.api.Test;

/** PostgreSQL type names in casts validate to the Calcite types SqlPgTypeNameSpec maps them to. */
class PgTypeValidationTest {
  private static final FrameworkConfig CONFIG = Frameworks.newConfigBuilder()
      .parserConfig(TroupeParser.config())
      .defaultSchema(Frameworks.createRootSchema(true))
      .operatorTable(SqlOperatorTables.chain(SqlStdOperatorTable.instance(),
          SqlOperatorTables.of(SqlLibraryOperators.INFIX_CAST)))
      .build();

  private static RelDataType rowType(String sql) throws Exception {
    Planner planner = Frameworks.getPlanner(CONFIG);
    return planner.rel(planner.validate(planner.parse(sql))).project().getRowType();
  }

  @Test
  void castsToPostgresTypesValidate() throws Exception {
    RelDataType row = rowType("SELECT CAST('1' AS int4) AS a, '2.5'::numeric(10,2) AS b,"
        + " 'x'::text AS c, 1::float8 AS d, '2024-01-01'::timestamptz AS e, 1::int8 AS f,"
        + " 'y'::varchar(3) AS g, true::bool AS h");
    assertThat(row.getFieldList()).extracting(f -> f.getType().getSqlTypeName().getName())
        .containsExactly("INTEGER", "DECIMAL", "VARCHAR", "DOUBLE",
            "TIMESTAMP_WITH_LOCAL_TIME_ZONE", "BIGINT", "VARCHAR", "BOOLEAN");
    assertThat(row.getFieldList().get(1).getType().getScale()).isEqualTo(2);
    assertThat(row.getFieldList().get(6).getType().getPrecision()).isEqualTo(3);
  }

  @Test
  void unknownTypeIsAValidationError() {
    assertThatThrownBy(() -> rowType("SELECT 'x'::nosuchtype"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("nosuchtype");
  }
}
