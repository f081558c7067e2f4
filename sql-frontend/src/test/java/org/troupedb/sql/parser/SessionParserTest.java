package org.troupedb.sql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.sql.parser.ParserAssertions.roundTrip;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.parser.ast.IsolationLevel;
import org.troupedb.sql.parser.ast.SqlBeginTransaction;
import org.troupedb.sql.parser.ast.SqlCommit;
import org.troupedb.sql.parser.ast.SqlReleaseSavepoint;
import org.troupedb.sql.parser.ast.SqlResetVariable;
import org.troupedb.sql.parser.ast.SqlRollback;
import org.troupedb.sql.parser.ast.SqlSavepoint;
import org.troupedb.sql.parser.ast.SqlSetTransaction;
import org.troupedb.sql.parser.ast.SqlSetVariable;
import org.troupedb.sql.parser.ast.SqlShowVariable;

class SessionParserTest {

  @Test
  void beginAndStartTransaction() throws Exception {
    SqlBeginTransaction b = roundTrip("BEGIN", SqlBeginTransaction.class);
    assertThat(b.isolationLevel()).isNull();
    assertThat(b.readOnly()).isNull();

    b = roundTrip("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        SqlBeginTransaction.class);
    assertThat(b.isolationLevel()).isEqualTo(IsolationLevel.REPEATABLE_READ);
    assertThat(b.readOnly()).isTrue();

    b = roundTrip("begin work read write", SqlBeginTransaction.class);
    assertThat(b.readOnly()).isFalse();

    b = roundTrip("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", SqlBeginTransaction.class);
    assertThat(b.isolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
    assertThat(roundTrip("BEGIN ISOLATION LEVEL READ COMMITTED", SqlBeginTransaction.class)
        .isolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
    assertThat(roundTrip("BEGIN ISOLATION LEVEL READ UNCOMMITTED", SqlBeginTransaction.class)
        .isolationLevel()).isEqualTo(IsolationLevel.READ_UNCOMMITTED);
  }

  @Test
  void commitEndRollbackAbort() throws Exception {
    roundTrip("COMMIT", SqlCommit.class);
    roundTrip("commit work", SqlCommit.class);
    roundTrip("END TRANSACTION", SqlCommit.class);
    roundTrip("end", SqlCommit.class);
    assertThat(roundTrip("ROLLBACK", SqlRollback.class).savepoint()).isNull();
    assertThat(roundTrip("rollback transaction", SqlRollback.class).savepoint()).isNull();
    assertThat(roundTrip("ABORT", SqlRollback.class).savepoint()).isNull();
  }

  @Test
  void savepoints() throws Exception {
    assertThat(roundTrip("SAVEPOINT cockroach_restart", SqlSavepoint.class).name().getSimple())
        .isEqualTo("cockroach_restart");
    assertThat(roundTrip("RELEASE SAVEPOINT sp1", SqlReleaseSavepoint.class).name().getSimple())
        .isEqualTo("sp1");
    assertThat(roundTrip("release sp1", SqlReleaseSavepoint.class).name().getSimple())
        .isEqualTo("sp1");
    assertThat(roundTrip("ROLLBACK TO SAVEPOINT sp1", SqlRollback.class).savepoint().getSimple())
        .isEqualTo("sp1");
    assertThat(roundTrip("rollback work to sp2", SqlRollback.class).savepoint().getSimple())
        .isEqualTo("sp2");
  }

  @Test
  void setTransaction() throws Exception {
    SqlSetTransaction t = roundTrip("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY",
        SqlSetTransaction.class);
    assertThat(t.isolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
    assertThat(t.readOnly()).isTrue();
    // what pgjdbc sends for Connection.setTransactionIsolation
    t = roundTrip("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
        SqlSetTransaction.class);
    assertThat(t.isolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
    assertThat(t.readOnly()).isNull();
  }

  @Test
  void setVariables() throws Exception {
    SqlSetVariable s = roundTrip("SET application_name = 'PostgreSQL JDBC Driver'",
        SqlSetVariable.class);
    assertThat(s.name()).isEqualTo("application_name");
    assertThat(((SqlLiteral) s.values().get(0)).getValueAs(String.class))
        .isEqualTo("PostgreSQL JDBC Driver");
    assertThat(s.local()).isFalse();
    assertThat(s.isDefault()).isFalse();

    s = roundTrip("SET extra_float_digits = 3", SqlSetVariable.class);
    assertThat(((SqlLiteral) s.values().get(0)).intValue(true)).isEqualTo(3);

    s = roundTrip("set local statement_timeout to -1", SqlSetVariable.class);
    assertThat(s.local()).isTrue();
    assertThat(((SqlLiteral) s.values().get(0)).intValue(true)).isEqualTo(-1);

    s = roundTrip("SET SESSION search_path TO public, \"$user\"", SqlSetVariable.class);
    assertThat(s.name()).isEqualTo("search_path");
    assertThat(s.values().getList()).extracting(v -> ((SqlIdentifier) v).getSimple())
        .containsExactly("public", "$user");

    s = roundTrip("SET DateStyle TO DEFAULT", SqlSetVariable.class);
    assertThat(s.name()).isEqualTo("datestyle");
    assertThat(s.isDefault()).isTrue();

    s = roundTrip("SET enable_seqscan = on", SqlSetVariable.class);
    assertThat(((SqlIdentifier) s.values().get(0)).getSimple()).isEqualTo("on");
    s = roundTrip("SET x.y = true", SqlSetVariable.class);
    assertThat(s.name()).isEqualTo("x.y");
    assertThat(((SqlLiteral) s.values().get(0)).booleanValue()).isTrue();

    assertThat(roundTrip("SET NAMES 'UTF8'", SqlSetVariable.class).name()).isEqualTo("client_encoding");
    assertThat(roundTrip("SET SCHEMA 'public'", SqlSetVariable.class).name()).isEqualTo("search_path");
    assertThat(roundTrip("SET schema_x = 1", SqlSetVariable.class).name()).isEqualTo("schema_x");

    s = roundTrip("SET TIME ZONE 'UTC'", SqlSetVariable.class);
    assertThat(s.name()).isEqualTo("timezone");
    assertThat(((SqlLiteral) s.values().get(0)).getValueAs(String.class)).isEqualTo("UTC");
  }

  @Test
  void resetAndShow() throws Exception {
    assertThat(roundTrip("RESET ALL", SqlResetVariable.class).all()).isTrue();
    SqlResetVariable r = roundTrip("reset search_path", SqlResetVariable.class);
    assertThat(r.all()).isFalse();
    assertThat(r.name()).isEqualTo("search_path");

    assertThat(roundTrip("SHOW ALL", SqlShowVariable.class).all()).isTrue();
    assertThat(roundTrip("SHOW server_version", SqlShowVariable.class).name())
        .isEqualTo("server_version");
    assertThat(roundTrip("SHOW TRANSACTION ISOLATION LEVEL", SqlShowVariable.class).name())
        .isEqualTo("transaction_isolation");
    assertThat(roundTrip("show time zone", SqlShowVariable.class).name()).isEqualTo("timezone");
    assertThat(roundTrip("SHOW transaction_read_only", SqlShowVariable.class).name())
        .isEqualTo("transaction_read_only");
  }
}
