package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/** The DDL a node runs before its ranges start: the plugin's statements with our keyspaces and factor. */
class CassandraSchemaTest {

  @Test
  void createsBothKeyspacesAtTheConfiguredFactorAndTheTablesThePluginUses() {
    CassandraStorageConfig storage = new CassandraStorageConfig(
        List.of("127.0.0.1:9042", "127.0.0.2:9042"), 4, "troupe");
    ActorTestKit kit = ActorTestKit.create(storage.config().withFallback(ConfigFactory.load()));
    try {
      List<String> ddl = CassandraSchema.statements(kit.system()).stream()
          .map(s -> s.replaceAll("\\s+", " ").trim()).toList();
      assertThat(ddl).hasSize(6);
      assertThat(ddl.get(0)).startsWith("CREATE KEYSPACE IF NOT EXISTS troupe_journal")
          .contains("'SimpleStrategy'").contains("'replication_factor':3");
      assertThat(ddl.get(1)).startsWith("CREATE TABLE IF NOT EXISTS troupe_journal.messages");
      assertThat(ddl.get(2)).startsWith("CREATE TABLE IF NOT EXISTS troupe_journal.metadata");
      assertThat(ddl.get(3)).startsWith("CREATE TABLE IF NOT EXISTS troupe_journal.all_persistence_ids");
      assertThat(ddl.get(4)).startsWith("CREATE KEYSPACE IF NOT EXISTS troupe_snapshot")
          .contains("'replication_factor':3");
      assertThat(ddl.get(5)).startsWith("CREATE TABLE IF NOT EXISTS troupe_snapshot.snapshots");
    } finally {
      kit.shutdownTestKit();
    }
  }
}
