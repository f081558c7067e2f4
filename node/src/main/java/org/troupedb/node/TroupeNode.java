package org.troupedb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.troupedb.hlc.HybridClock;
import org.troupedb.pgwire.PgLimits;
import org.troupedb.pgwire.PgServer;
import org.troupedb.pgwire.PgServerConfig;
import org.troupedb.pgwire.PgTls;
import org.troupedb.range.RangeStats;
import org.troupedb.range.StorageConfig;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.TroupeSqlEngine;
import org.troupedb.txn.KvNode;
import org.troupedb.txn.TxnService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running TroupeDB node: the actor system (a cluster member), the KV and transaction layer, the
 * SQL engine, the pgwire listener and the HTTP endpoint, started in that order and stopped in
 * reverse.
 *
 * <pre>
 *   start(): store dir ─▶ ActorSystem (cluster, H2 journal) ─▶ self-join ─▶ KvNode (sharding,
 *            meta range) ─▶ SQL engine (catalog bootstrap) ─▶ pgwire listen ─▶ ready
 * </pre>
 */
public final class TroupeNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TroupeNode.class);

  private final NodeConfig config;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private HttpEndpoint http;
  private ActorSystem<Void> system;
  private PgServer pgServer;
  private volatile java.util.concurrent.CompletableFuture<?> catalogWarming =
      java.util.concurrent.CompletableFuture.completedFuture(null);
  private InetSocketAddress pgAddress;

  private TroupeNode(NodeConfig config) {
    this.config = config;
  }

  /**
   * Whether the node plans psql's and pgjdbc's catalog statements in the background at start
   * (default on; {@code -Dtroupedb.sql.warm-catalog-statements=false} turns it off).
   */
  static final String WARM_CATALOG = "troupedb.sql.warm-catalog-statements";
  /** {@link #WARM_CATALOG}'s first name, still honoured. */
  static final String WARM_CATALOG_OLD = "troupe.sql.warm-catalog-statements";
  /** Netty event-loop threads for pgwire; unset or 0 = one per core (see PgServerConfig). */
  static final String IO_THREADS = "troupedb.pgwire.io-threads";
  /** How long a busy connection's session thread reads its socket itself (0 = never; PgServerConfig). */
  static final String SESSION_READ_IDLE = "troupedb.pgwire.session-read-idle";

  /** pgwire's max_connections and superuser_reserved_connections (see PgLimits; defaults 100, 3). */
  static final String MAX_CONNECTIONS = "troupedb.pgwire.max-connections";
  static final String SUPERUSER_RESERVED = "troupedb.pgwire.superuser-reserved-connections";

  /** A boolean setting by its name, or else by its older name, or else {@code dflt}. */
  static boolean setting(Config c, String name, String oldName, boolean dflt) {
    return c.hasPath(name) ? c.getBoolean(name) : c.hasPath(oldName) ? c.getBoolean(oldName) : dflt;
  }

  /** Completes when the background warming of catalog statements ends (at once when it is off). */
  public java.util.concurrent.CompletableFuture<?> catalogWarmed() {
    return catalogWarming;
  }

  /** Starts a node and returns once it accepts SQL connections. */
  public static TroupeNode start(NodeConfig config) throws Exception {
    TroupeNode node = new TroupeNode(config);
    try {
      node.doStart();
      return node;
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
  }

  private void doStart() throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(config.store());
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    http = new HttpEndpoint(config.http(), metrics, ready::get);
    http.start();

    Config pekko = ClusterSettings.forNode(config)
        .withFallback(StorageConfig.h2(config.store()))
        .withFallback(ConfigFactory.load());
    system = ActorSystem.create(Behaviors.empty(), "troupe", pekko);
    RangeStats rangeStats = RangeStats.get(system);
    FunctionCounter.builder("troupe_range_write_commands", rangeStats, RangeStats::writeCommands)
        .description("write commands accepted by range actors").register(metrics);
    FunctionCounter.builder("troupe_range_journal_writes", rangeStats, RangeStats::writeJournalWrites)
        .description("journal writes carrying them (group commit makes this smaller)").register(metrics);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));

    HybridClock clock = HybridClock.system(config.maxClockOffset());
    TxnService kv = KvNode.start(system, clock).toCompletableFuture().get(2, TimeUnit.MINUTES);
    SqlEngine engine = TroupeSqlEngine.create(kv);
    PgTls tls = config.certsDir() == null ? null : PgTls.fromPem(config.certsDir().resolve(Certs.NODE_CERT).toFile(),
        config.certsDir().resolve(Certs.NODE_KEY).toFile(), config.requireTls());
    pgServer = new PgServer(new PgServerConfig(config.listen().host(), config.listen().port(),
        config.pgAuth(), pekko.hasPath(IO_THREADS) ? pekko.getInt(IO_THREADS) : 0,
        PgServerConfig.DEFAULT_MAX_MESSAGE_BYTES, tls, config.passwordMethod(),
        pekko.hasPath(SESSION_READ_IDLE) ? pekko.getDuration(SESSION_READ_IDLE)
            : PgServerConfig.DEFAULT_SESSION_READ_IDLE).withLimits(new PgLimits(
        pekko.hasPath(MAX_CONNECTIONS) ? pekko.getInt(MAX_CONNECTIONS) : PgLimits.DEFAULT.maxConnections(),
        pekko.hasPath(SUPERUSER_RESERVED) ? pekko.getInt(SUPERUSER_RESERVED)
            : PgLimits.DEFAULT.superuserReservedConnections())), engine);
    pgAddress = pgServer.start();
    ready.set(true);
    if (setting(pekko, WARM_CATALOG, WARM_CATALOG_OLD, true)) {
      catalogWarming = org.troupedb.sql.internal.pgcatalog.CatalogWarmer.start(engine); // background
    }
    LOG.info("TroupeDB node ready in {} ms: postgresql://root@{}:{}/defaultdb, http://{}:{}/health, store {}",
        Duration.ofNanos(System.nanoTime() - t0).toMillis(), pgAddress.getHostString(), pgAddress.getPort(),
        http.address().getHostString(), http.address().getPort(), config.store().toAbsolutePath());
  }

  /** The address pgwire listens on (with the real port when 0 was configured). */
  public InetSocketAddress pgAddress() {
    return pgAddress;
  }

  public InetSocketAddress httpAddress() {
    return http.address();
  }

  /** Stops accepting connections, then stops the actor system (flushing the journal). Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready.set(false);
    catalogWarming.cancel(false); // the warmer stops before its next statement
    if (pgServer != null) {
      try {
        pgServer.close();
      } catch (Exception e) {
        LOG.warn("error stopping pgwire", e);
      }
    }
    if (system != null) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("actor system did not terminate in time", e);
      }
    }
    if (http != null) {
      http.close();
    }
    metrics.close();
    LOG.info("TroupeDB node stopped");
  }
}
