package org.troupedb.node;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One in-process single node for a test class, a thread pool for concurrent clients, pgjdbc connections. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InProcessNodeFixture {
  @TempDir static Path tmp;
  TroupeNode node;
  final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeAll
  void startNode() throws Exception {
    node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")));
  }

  @AfterAll
  void stopNode() {
    pool.shutdownNow();
    if (node != null) {
      node.close();
    }
  }

  /** A pgjdbc connection as root to defaultdb; {@code extra} is appended to the URL ("&prepareThreshold=1"). */
  Connection connect(String extra) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.pgAddress().getPort()
        + "/defaultdb?user=root" + extra);
  }

  Connection connect(boolean autoCommit) throws SQLException {
    Connection c = connect("");
    c.setAutoCommit(autoCommit);
    return c;
  }
}
