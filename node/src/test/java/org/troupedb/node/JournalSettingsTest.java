package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --journal rocksdb|h2|cassandra} and {@code --cassandra HOST:PORT[,…]}: parsing and the config they select. */
class JournalSettingsTest {
  @TempDir Path dir;

  @Test
  void rocksdbIsTheDefaultEmbeddedJournal() {
    NodeConfig c = NodeConfig.singleNode(0, 0, dir);
    assertThat(c.journal()).isEqualTo(JournalSettings.ROCKSDB);
    Config p = c.journal().pekkoConfig(dir);
    assertThat(p.getString("pekko.persistence.journal.plugin")).isEqualTo("troupe-journal");
    assertThat(p.getString("pekko.persistence.snapshot-store.plugin")).isEqualTo("troupe-snapshot-store");
    assertThat(p.getString("troupe-journal.dir")).isEqualTo(dir.resolve("journal-rocksdb").toAbsolutePath().toString());
    assertThat(JournalSettings.parse("RocksDB", null)).isEqualTo(JournalSettings.ROCKSDB);
    assertThat(dir.resolve("journal.mv.db")).doesNotExist();
  }

  @Test
  void h2KeepsThePekkoJdbcJournal() {
    Config p = JournalSettings.parse("h2", null).pekkoConfig(dir);
    assertThat(p.getString("pekko.persistence.journal.plugin")).isEqualTo("jdbc-journal");
    assertThat(JournalSettings.parse("h2", null)).isEqualTo(JournalSettings.H2);
  }

  @Test
  void aStoreWrittenByTheH2JournalIsRefusedByRocksdbNotStartedEmpty() {
    JournalSettings.H2.pekkoConfig(dir); // creates journal.mv.db, as an earlier build's node did
    assertThatThrownBy(() -> JournalSettings.ROCKSDB.pekkoConfig(dir))
        .hasMessageContaining("holds an H2 journal").hasMessageContaining("--journal h2");
    assertThat(dir.resolve("journal-rocksdb")).doesNotExist();
    assertThat(JournalSettings.H2.pekkoConfig(dir).getString("pekko.persistence.journal.plugin"))
        .isEqualTo("jdbc-journal"); // and it still runs on h2
  }

  @Test
  void cassandraAddressesSetTheContactPointsAndTheReplicationFactor() {
    JournalSettings one = JournalSettings.parse("cassandra", "127.0.0.5:9042");
    assertThat(one.cassandra()).containsExactly(new HostPort("127.0.0.5", 9042));
    assertThat(one.cassandraConfig().replicationFactor()).isEqualTo(1);
    JournalSettings four = JournalSettings.parse("Cassandra",
        "127.0.0.1:9042, 127.0.0.2:9042,127.0.0.3:9042,127.0.0.4:9042");
    assertThat(four.cassandraConfig().replicationFactor()).isEqualTo(3);
    Config p = four.pekkoConfig(dir);
    assertThat(p.getString("pekko.persistence.journal.plugin")).isEqualTo("pekko.persistence.cassandra.journal");
    assertThat(p.getString("pekko.persistence.snapshot-store.plugin"))
        .isEqualTo("pekko.persistence.cassandra.snapshot");
    assertThat(p.getStringList("datastax-java-driver.basic.contact-points")).containsExactly(
        "127.0.0.1:9042", "127.0.0.2:9042", "127.0.0.3:9042", "127.0.0.4:9042");
    assertThat(dir.resolve("journal.mv.db")).doesNotExist();
  }

  @Test
  void inconsistentOptionsAreRefusedWithTheFix() {
    assertThatThrownBy(() -> JournalSettings.parse("cassandra", null)).hasMessageContaining("--cassandra HOST:PORT");
    assertThatThrownBy(() -> JournalSettings.parse("h2", "127.0.0.1:9042")).hasMessageContaining("--journal cassandra");
    assertThatThrownBy(() -> JournalSettings.parse("rocksdb", "127.0.0.1:9042"))
        .hasMessageContaining("--journal cassandra");
    assertThatThrownBy(() -> JournalSettings.parse("rocks", null)).hasMessageContaining("rocksdb, h2 or cassandra");
    assertThatThrownBy(() -> JournalSettings.parse("cassandra", "127.0.0.1")).hasMessageContaining("HOST:PORT");
  }

  @Test
  void theCommandLineRefusesThemAsUsageErrors() {
    assertThat(run("start-single-node", "--journal", "cassandra", "--store", dir.toString())).isEqualTo(2);
    assertThat(run("start-single-node", "--cassandra", "127.0.0.1:9042", "--store", dir.toString())).isEqualTo(2);
  }

  @Test
  void anUnreachableCassandraFailsFastNamingTheAddresses() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    } // closed: nothing listens there now
    JournalSettings j = JournalSettings.cassandra(List.of(new HostPort("127.0.0.1", port)));
    assertThatThrownBy(() -> j.checkReachable(1_000))
        .hasMessageContaining("no Cassandra node answers at [127.0.0.1:" + port + "]")
        .hasMessageContaining("ops/cassandra start");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JournalSettings.cassandra(List.of(new HostPort("127.0.0.1", port), new HostPort("127.0.0.1", s.getLocalPort())))
          .checkReachable(1_000); // one answering address is enough
    }
  }

  private static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }
}
