package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --max-connections} reaches the node through its {@link NodeConfig}, not a system property. */
class MaxConnectionsOptionTest {

  private static NodeConfig singleNode(String... args) {
    Main.StartSingleNode s = new Main.StartSingleNode();
    new CommandLine(s).parseArgs(args);
    return s.config();
  }

  @Test
  void theOptionIsInTheConfig() {
    assertThat(singleNode("--max-connections", "7").maxConnections()).isEqualTo(7);
    assertThat(System.getProperty(TroupeNode.MAX_CONNECTIONS)).as("no global side effect").isNull();
  }

  @Test
  void withoutTheOptionTheSettingDecides() {
    assertThat(singleNode().maxConnections()).isNull();
  }

  @Test
  void withersKeepIt() {
    NodeConfig c = singleNode("--max-connections", "9");
    assertThat(c.withJournal(JournalSettings.ROCKSDB).maxConnections()).isEqualTo(9);
    assertThat(c.withAuth(true, c.passwordMethod()).maxConnections()).isEqualTo(9);
    assertThat(c.withMembership(NodeConfig.Membership.SINGLE).maxConnections()).isEqualTo(9);
    assertThat(c.withTls(null, false).maxConnections()).isEqualTo(9);
    assertThat(c.withMaxConnections(null).maxConnections()).isNull();
  }
}
