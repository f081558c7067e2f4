package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SQL-level prepared statements and cursors through pgjdbc, whose statements go through the
 * extended protocol (Parse, Describe, Execute): Describe of an EXECUTE or a FETCH must name the
 * columns its rows have, with prepared (named, binary) statements too.
 */
class PreparedCursorsJdbcIT extends InProcessNodeFixture {

  @Test
  void executeAndFetchThroughPgjdbc() throws Exception {
    for (String mode : List.of("", "&prepareThreshold=1", "&prepareThreshold=1&binaryTransfer=true")) {
      try (Connection c = connect(mode); Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS jdbc_ss");
        st.execute("CREATE TABLE jdbc_ss (id INT PRIMARY KEY, name TEXT)");
        st.execute("INSERT INTO jdbc_ss VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        st.execute("PREPARE by_id (int) AS SELECT id, name FROM jdbc_ss WHERE id = $1");
        for (int round = 0; round < 3; round++) { // a named statement from the second time on
          try (ResultSet rs = st.executeQuery("EXECUTE by_id (2)")) {
            assertThat(rs.getMetaData().getColumnName(2)).isEqualTo("name");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getString("name")).isEqualTo("two");
            assertThat(rs.next()).isFalse();
          }
        }
        st.execute("DEALLOCATE by_id");
        assertThatThrownBy(() -> st.executeQuery("EXECUTE by_id (2)"))
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("26000"));

        c.setAutoCommit(false);
        st.execute("DECLARE cur CURSOR FOR SELECT id, name FROM jdbc_ss ORDER BY id");
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          try (ResultSet rs = st.executeQuery("FETCH 2 FROM cur")) {
            assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
            while (rs.next()) {
              seen.add(rs.getInt(1) + ":" + rs.getString(2));
            }
          }
        }
        assertThat(seen).containsExactly("1:one", "2:two", "3:three");
        st.execute("CLOSE cur");
        c.commit();
        c.setAutoCommit(true);
        assertThatThrownBy(() -> st.executeQuery("FETCH 1 FROM cur"))
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("34000"));
        st.execute("DROP TABLE jdbc_ss");
      }
    }
  }
}
