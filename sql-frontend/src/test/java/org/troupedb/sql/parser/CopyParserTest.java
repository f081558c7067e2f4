package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.troupedb.sql.parser.ParserAssertions.roundTrip;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.parser.ast.SqlCopy;

class CopyParserTest {

  private static Map<String, String> options(SqlCopy copy) {
    Map<String, String> out = new LinkedHashMap<>();
    for (SqlNode o : copy.options()) {
      SqlCall eq = (SqlCall) o;
      SqlNode v = eq.operand(1);
      String value = v instanceof SqlLiteral
          ? (((SqlLiteral) v).getValue() instanceof Boolean
              ? Boolean.toString(((SqlLiteral) v).booleanValue()) : ((SqlLiteral) v).toValue())
          : v.toString();
      out.put(((SqlIdentifier) eq.operand(0)).getSimple(), value);
    }
    return out;
  }

  @Test
  void pgbenchCopy() throws Exception {
    SqlCopy c = roundTrip("copy pgbench_accounts from stdin with (freeze on)", SqlCopy.class);
    assertThat(c.table().getSimple()).isEqualTo("pgbench_accounts");
    assertThat(c.from()).isTrue();
    assertThat(c.columns()).isNull();
    assertThat(options(c)).containsEntry("freeze", "on");
    assertThat(roundTrip("COPY pgbench_branches FROM STDIN", SqlCopy.class).options()).isEmpty();
  }

  @Test
  void newAndOldOptionSpellings() throws Exception {
    SqlCopy c = roundTrip("COPY t (a, b) TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER ';', NULL '')",
        SqlCopy.class);
    assertThat(c.from()).isFalse();
    assertThat(c.columns().getList()).extracting(Object::toString).containsExactly("a", "b");
    assertThat(options(c)).containsEntry("format", "csv").containsEntry("header", "true")
        .containsEntry("delimiter", ";").containsEntry("null", "");

    SqlCopy old = roundTrip("COPY t FROM STDIN WITH CSV HEADER DELIMITER AS ',' NULL AS 'x'",
        SqlCopy.class);
    assertThat(options(old)).containsEntry("format", "csv").containsEntry("header", "true")
        .containsEntry("delimiter", ",").containsEntry("null", "x");
  }

  @Test
  void onlyStdinAndStdout() {
    assertThatThrownBy(() -> TroupeParser.parse("COPY t FROM '/etc/passwd'"))
        .isInstanceOf(SqlParseException.class);
    assertThatThrownBy(() -> TroupeParser.parse("COPY t TO stdin"))
        .isInstanceOfSatisfying(SqlParseException.class, e -> {
          assertThat(e.getMessage()).contains("STDOUT");
          assertThat(e.getPos()).isNotNull();
        });
    assertThatThrownBy(() -> TroupeParser.parse("COPY t FROM stdin CSV 'x'"))
        .isInstanceOf(SqlParseException.class);
  }
}
