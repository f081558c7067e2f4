package org.troupedb.txn;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Tests that share one single-node ActorSystem per class (each test uses its own keys). */
abstract class SharedNodeTest {

  @TempDir
  static Path dir;
  static TestNode node;
  static TxnService svc;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir);
    svc = node.service;
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }
}
