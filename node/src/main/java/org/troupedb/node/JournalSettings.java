package org.troupedb.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.troupedb.range.CassandraStorageConfig;
import org.troupedb.range.StorageConfig;
import org.troupedb.range.journal.EmbeddedStorageConfig;

/**
 * Which journal and snapshot store a node persists its ranges in: the embedded RocksDB journal
 * under the store directory (the single-node default; see {@link EmbeddedStorageConfig}), the H2
 * database through pekko-persistence-jdbc (the earlier default, for stores it wrote), or Apache
 * Cassandra at the given contact points (see {@link CassandraStorageConfig} for replication and
 * consistency).
 *
 * @param kind the journal
 * @param cassandra Cassandra CQL addresses; empty for H2, at least one for Cassandra
 */
public record JournalSettings(Kind kind, List<HostPort> cassandra) {

  /** The journal implementations a node can run on. */
  public enum Kind { ROCKSDB, H2, CASSANDRA }

  /** The embedded RocksDB journal with group commit across ranges (single node; the default). */
  public static final JournalSettings ROCKSDB = new JournalSettings(Kind.ROCKSDB, List.of());

  /** The H2 journal through pekko-persistence-jdbc (single node; stores written before the embedded journal). */
  public static final JournalSettings H2 = new JournalSettings(Kind.H2, List.of());

  public JournalSettings {
    cassandra = List.copyOf(cassandra);
    if (kind == Kind.CASSANDRA && cassandra.isEmpty()) {
      throw new IllegalArgumentException("the Cassandra journal needs at least one Cassandra address (--cassandra HOST:PORT)");
    }
    if (kind != Kind.CASSANDRA && !cassandra.isEmpty()) {
      throw new IllegalArgumentException("Cassandra addresses are given but the journal is "
          + kind.name().toLowerCase(Locale.ROOT) + " (add --journal cassandra)");
    }
  }

  /** The Cassandra journal at these CQL addresses. */
  public static JournalSettings cassandra(List<HostPort> contactPoints) {
    return new JournalSettings(Kind.CASSANDRA, contactPoints);
  }

  /**
   * From the command line: {@code kind} is {@code rocksdb}, {@code h2} or {@code cassandra}; {@code addresses} is
   * {@code HOST:PORT[,HOST:PORT…]} or null.
   */
  public static JournalSettings parse(String kind, String addresses) {
    List<HostPort> points = addresses == null || addresses.isBlank() ? List.of()
        : Arrays.stream(addresses.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(HostPort::parse).toList();
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "rocksdb" -> new JournalSettings(Kind.ROCKSDB, points);
      case "h2" -> new JournalSettings(Kind.H2, points);
      case "cassandra" -> new JournalSettings(Kind.CASSANDRA, points);
      default -> throw new IllegalArgumentException("--journal must be rocksdb, h2 or cassandra, not '" + kind + "'");
    };
  }

  /**
   * The Pekko persistence configuration for a node with data directory {@code store} (for H2 this
   * creates the journal schema there).
   */
  Config pekkoConfig(Path store) {
    return switch (kind) {
      case ROCKSDB -> EmbeddedStorageConfig.embedded(store);
      case H2 -> StorageConfig.h2(store);
      case CASSANDRA -> cassandraConfig().config();
    };
  }

  /** The Cassandra storage configuration; only for {@link Kind#CASSANDRA}. */
  CassandraStorageConfig cassandraConfig() {
    if (kind != Kind.CASSANDRA) {
      throw new IllegalStateException("not the Cassandra journal");
    }
    return CassandraStorageConfig.of(cassandra.stream().map(HostPort::toString).toList());
  }

  /**
   * Fails fast, with the addresses tried, when no Cassandra contact point accepts a TCP
   * connection within {@code timeoutMillis} each (the journal plugin itself would only log
   * retries while the node waits for its ranges). Nothing to check for the embedded journals.
   */
  void checkReachable(int timeoutMillis) {
    if (kind != Kind.CASSANDRA) {
      return;
    }
    IOException last = null;
    for (HostPort p : cassandra) {
      try (Socket s = new Socket()) {
        s.connect(p.toSocketAddress(), timeoutMillis);
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no Cassandra node answers at " + cassandra
        + " (start one with: ops/cassandra start): " + last.getMessage(), last);
  }

  @Override
  public String toString() {
    return kind == Kind.CASSANDRA ? "cassandra " + cassandra : kind.name().toLowerCase(Locale.ROOT);
  }
}
