package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.sql.parser.ParserAssertions.roundTrip;

import org.junit.jupiter.api.Test;
import org.troupedb.sql.parser.ast.SqlVacuum;

class VacuumParserTest {

  @Test
  void pgbenchMaintenanceStatements() throws Exception {
    SqlVacuum v = roundTrip("vacuum analyze pgbench_branches", SqlVacuum.class);
    assertThat(v.vacuum()).isTrue();
    assertThat(v.analyze()).isTrue();
    assertThat(v.tables()).extracting(Object::toString).containsExactly("pgbench_branches");

    v = roundTrip("vacuum pgbench_tellers, pgbench_accounts", SqlVacuum.class);
    assertThat(v.analyze()).isFalse();
    assertThat(v.tables()).hasSize(2);

    v = roundTrip("VACUUM FULL FREEZE VERBOSE", SqlVacuum.class);
    assertThat(v.tables()).isEmpty();

    v = roundTrip("VACUUM (VERBOSE, ANALYZE) t", SqlVacuum.class);
    assertThat(v.analyze()).isTrue();

    v = roundTrip("ANALYZE VERBOSE t", SqlVacuum.class);
    assertThat(v.vacuum()).isFalse();
    assertThat(v.analyze()).isTrue();
  }
}
