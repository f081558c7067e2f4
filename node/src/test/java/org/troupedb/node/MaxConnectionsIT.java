package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.node.JdbcRows.rows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started with {@link NodeConfig#withMaxConnections} serves with that max_connections. */
class MaxConnectionsIT {
  @TempDir Path tmp;

  @Test
  void theConfiguredLimitIsTheServersLimit() throws Exception {
    try (TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")).withMaxConnections(7));
        Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort()
            + "/defaultdb?user=root");
        Statement s = c.createStatement()) {
      assertThat(rows(s, "SHOW max_connections")).containsExactly("7");
      assertThat(rows(s, "SHOW superuser_reserved_connections")).containsExactly("3");
    }
  }
}
