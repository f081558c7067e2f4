package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;

/**
 * Flyway 13 (flyway-core with flyway-database-postgresql, unmodified, through its Java API) against
 * one node: four versioned migrations from src/test/resources/flyway/migration (tables, a foreign
 * key, a CHECK, an index, data, a later ALTER TABLE ADD COLUMN) applied in order, then {@code info}
 * and {@code validate}, and a second {@code migrate} that applies nothing. Flyway serializes
 * migrators with {@code pg_try_advisory_lock}/{@code pg_advisory_unlock} and keeps its
 * flyway_schema_history table; both are checked.
 */
class FlywayIT extends InProcessNodeFixture {
  private static final String LOCATION = "filesystem:" + Path.of("src/test/resources/flyway/migration").toAbsolutePath();

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource("jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort() + "/defaultdb?user=root", "root", null)
        .locations(LOCATION)
        .load();
  }

  @Test
  void migratesInfoValidatesAndMigratesAgainAsANoOp() throws Exception {
    MigrateResult first = flyway().migrate();
    assertThat(first.success).isTrue();
    assertThat(first.migrationsExecuted).isEqualTo(4);
    assertThat(first.targetSchemaVersion).isEqualTo("4");

    List<String> applied = new ArrayList<>();
    for (MigrationInfo i : flyway().info().all()) {
      assertThat(i.getState()).as(i.getVersion() + " " + i.getDescription()).isEqualTo(MigrationState.SUCCESS);
      applied.add(i.getVersion() + " " + i.getDescription());
    }
    assertThat(applied).containsExactly("1 create authors and books", "2 index books by author", "3 seed data",
        "4 add published year");
    assertThat(flyway().info().current().getVersion().getVersion()).isEqualTo("4");

    ValidateResult valid = flyway().validateWithResult();
    assertThat(valid.validationSuccessful).as(String.valueOf(valid.invalidMigrations)).isTrue();

    MigrateResult again = flyway().migrate();
    assertThat(again.success).isTrue();
    assertThat(again.migrationsExecuted).isZero();

    try (Connection c = connect(""); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT b.title, a.name, b.published FROM book b JOIN author a ON a.id = b.author_id "
          + "ORDER BY b.id")).containsExactly("The Dispossessed|Ursula K. Le Guin|null",
          "The Left Hand of Darkness|Ursula K. Le Guin|null", "Solaris|Stanislaw Lem|1961");
      assertThat(rows(s, "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL "
          + "ORDER BY installed_rank")).containsExactly("1|t", "2|t", "3|t", "4|t");
      assertThat(rows(s, "SELECT relkind FROM pg_catalog.pg_class WHERE relname = 'book_author_idx'"))
          .containsExactly("i");
      // the foreign key of migration 1 holds
      try {
        s.executeUpdate("INSERT INTO book (id, author_id, title) VALUES (99, 42, 'orphan')");
        throw new AssertionError("orphan insert accepted");
      } catch (SQLException e) {
        assertThat(e.getSQLState()).isEqualTo("23503");
      }
      // Flyway released its advisory lock: another session takes it at once
      assertThat(rows(s, "SELECT pg_try_advisory_lock(77431708279161)")).containsExactly("t");
      assertThat(rows(s, "SELECT pg_advisory_unlock(77431708279161)")).containsExactly("t");
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    return JdbcRows.rows(s, sql, "|");
  }
}
