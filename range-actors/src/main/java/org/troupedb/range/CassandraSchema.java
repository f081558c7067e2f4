package org.troupedb.range;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.cassandra.CassandraStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Cassandra journal's and snapshot store's keyspaces and tables (if they do not exist)
 * before any range recovers: every statement on one and the same Cassandra node, each followed by
 * a bounded wait for schema agreement.
 *
 * <p>NB: pekko-persistence-cassandra's own auto-creation sends consecutive DDL statements to
 * different coordinators and only logs a failure; on three loaded Cassandra nodes a CREATE TABLE
 * reached a node that had not yet seen its keyspace, the snapshot table was never made, and every
 * range failed its recovery. So {@link CassandraStorageConfig} turns the plugin's auto-creation off
 * and nodes call this instead. The statement texts come from the plugin itself (its internal
 * {@code CassandraStatements}, pinned by the pom's version), so the tables are exactly those it
 * reads and writes.
 */
public final class CassandraSchema {
  private static final Logger LOG = LoggerFactory.getLogger(CassandraSchema.class);
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  private CassandraSchema() {}

  /**
   * Creates what is missing, with the replication factor of {@code system}'s configuration
   * (see {@link CassandraStorageConfig}); fails if Cassandra does not answer or agree in time.
   */
  public static void create(ActorSystem<?> system, CassandraStorageConfig storage, Duration timeout)
      throws InterruptedException {
    List<String> ddl = statements(system);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<InetSocketAddress> points = new ArrayList<>();
    for (String p : storage.contactPoints()) {
      int colon = p.lastIndexOf(':');
      points.add(new InetSocketAddress(p.substring(0, colon), Integer.parseInt(p.substring(colon + 1))));
    }
    DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, STATEMENT_TIMEOUT)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, STATEMENT_TIMEOUT)
        .build();
    try (CqlSession session = CqlSession.builder().addContactPoints(points)
        .withLocalDatacenter(CassandraStorageConfig.LOCAL_DATACENTER).withConfigLoader(loader).build()) {
      Node node = session.getMetadata().getNodes().values().stream()
          .filter(n -> n.getState() == NodeState.UP)
          .min(Comparator.comparing(n -> n.getEndPoint().toString()))
          .orElseThrow(() -> new IllegalStateException("no Cassandra node is up at " + storage.contactPoints()));
      for (String cql : ddl) {
        ResultSet rs = session.execute(SimpleStatement.newInstance(cql).setNode(node).setTimeout(STATEMENT_TIMEOUT));
        boolean agreed = rs.getExecutionInfo().isSchemaInAgreement();
        while (!agreed) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Cassandra nodes did not agree on the journal schema within " + timeout);
          }
          Thread.sleep(200); // polling Cassandra's schema versions; there is no event to wait on
          agreed = session.checkSchemaAgreement();
        }
      }
      LOG.info("Cassandra journal schema ready on {} (replication factor {}, via {})", storage.contactPoints(),
          storage.replicationFactor(), node.getEndPoint());
    }
  }

  /** The plugin's CREATE … IF NOT EXISTS statements for the configuration of {@code system}. */
  static List<String> statements(ActorSystem<?> system) {
    PluginSettings settings = PluginSettings.apply(Adapter.toClassic(system));
    CassandraStatements s = new CassandraStatements(settings);
    List<String> ddl = new ArrayList<>(List.of(
        s.journalStatements().createKeyspace(),
        s.journalStatements().createTable(),
        s.journalStatements().createMetadataTable()));
    if (settings.journalSettings().supportAllPersistenceIds()) {
      ddl.add(s.journalStatements().createAllPersistenceIdsTable());
    }
    if (settings.eventsByTagSettings().eventsByTagEnabled()) {
      throw new IllegalStateException("events-by-tag tables are not created here; keep events-by-tag off");
    }
    ddl.add(s.snapshotStatements().createKeyspace());
    ddl.add(s.snapshotStatements().createTable());
    return ddl;
  }
}
