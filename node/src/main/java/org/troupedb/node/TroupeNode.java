package org.troupedb.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
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
import java.util.concurrent.CompletableFuture;
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
import org.troupedb.range.CassandraSchema;
import org.troupedb.range.JournalCompactor;
import org.troupedb.range.LocalRanges;
import org.troupedb.range.RangeClient;
import org.troupedb.range.RangeStats;
import org.troupedb.range.journal.JournalStats;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlException;
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
 *   start(): store dir ─▶ ActorSystem (cluster, RocksDB, H2 or Cassandra journal) ─▶ self-join ─▶ KvNode (sharding,
 *            meta range) ─▶ SQL engine (catalog bootstrap) ─▶ pgwire listen ─▶ ready
 *
 *   cluster member (--join): store dir ─▶ HTTP (/cluster/init, /cluster/status) ─▶ ActorSystem
 *            ─▶ join the --join nodes (or wait for init) ─▶ Up ─▶ KvNode ─▶ SQL engine ─▶ pgwire
 * </pre>
 *
 * The KV layout (meta range, first data range) is bootstrapped once per cluster, by the node that
 * initialized it; the other nodes wait for the meta range's directory. The catalog's bootstrap is a
 * transaction that writes only when the catalog is missing, so every node runs it and all but the
 * first find the work done.
 */
public final class TroupeNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TroupeNode.class);

  private final NodeConfig config;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private HttpEndpoint http;
  private ActorSystem<Void> system;
  private JournalCompactor compactor;
  private ClockUpperBound clockBound;
  private PgServer pgServer;
  private volatile java.util.concurrent.CompletableFuture<?> catalogWarming =
      java.util.concurrent.CompletableFuture.completedFuture(null);
  private volatile InetSocketAddress pgAddress;
  private final CompletableFuture<Void> whenReady = new CompletableFuture<>();
  private static final int ENGINE_ATTEMPTS = 10;
  private long t0;
  private Config pekko;
  private HybridClock clock;
  /** This member's way into a multi-node cluster (null for a single node). */
  private ClusterMembership membership;
  /** A router for status queries, once the KV layer runs. */
  private volatile RangeClient rangeClient;
  /** Completes when the cluster removed this member (null for a single node; see MemberRemoval). */
  private volatile MemberRemoval removal;

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

  /** How often the clock's persisted upper bound is renewed (see ClockUpperBound). */
  static final Duration CLOCK_BOUND_INTERVAL = Duration.ofSeconds(1);

  /**
   * Starts a node. A single node returns once it accepts SQL connections; a cluster member returns
   * once its HTTP endpoint serves, and accepts SQL after joining an initialized cluster
   * ({@link #whenReady}).
   */
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

  /**
   * Where the disk range store lives (troupedb.kv.range-storage = disk): {@code <store>/range-data}
   * unless troupedb.kv.range-storage-dir names a directory; the kind is checked here, before
   * anything starts.
   */
  static Config rangeStorageConfig(java.nio.file.Path store, Config base) {
    org.troupedb.range.RangeStorage.parse(base.getString("troupedb.kv.range-storage"));
    String dir = base.getString("troupedb.kv.range-storage-dir");
    return ConfigFactory.parseMap(java.util.Map.of("troupedb.kv.range-storage-dir",
        dir.isBlank() ? store.resolve("range-data").toAbsolutePath().toString() : dir));
  }

  private void doStart() throws Exception {
    t0 = System.nanoTime();
    Files.createDirectories(config.store());
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    http = new HttpEndpoint(config.http(), metrics, ready::get);

    config.journal().checkReachable(5_000);
    Config base = ConfigFactory.load();
    pekko = ClusterSettings.forNode(config, base)
        .withFallback(rangeStorageConfig(config.store(), base))
        .withFallback(config.journal().pekkoConfig(config.store()))
        .withFallback(base);
    system = ActorSystem.create(Behaviors.empty(), "troupe", pekko);
    if (config.journal().kind() == JournalSettings.Kind.CASSANDRA) {
      CassandraSchema.create(system, config.journal().cassandraConfig(), Duration.ofSeconds(90));
    } else if (config.journal().kind() == JournalSettings.Kind.ROCKSDB) {
      JournalStats journal = JournalStats.get(system);
      FunctionCounter.builder("troupe_journal_store_writes", journal, JournalStats::batches)
          .description("durable writes of the embedded journal (one group commit each)").register(metrics);
      FunctionCounter.builder("troupe_journal_persists", journal, JournalStats::writes)
          .description("range journal writes (persists) those store writes carried").register(metrics);
      FunctionCounter.builder("troupe_journal_events", journal, JournalStats::events)
          .description("events those store writes carried").register(metrics);
    } else {
      compactor = JournalCompactor.start(config.store(), JournalCompactor.Settings.from(pekko));
      Gauge.builder("troupe_journal_chunks_fill_percent", compactor,
          JournalCompactor::chunksFillRate).description("live share of the journal file's chunks").register(metrics);
      FunctionCounter.builder("troupe_journal_compactions", compactor, JournalCompactor::compactions)
          .description("journal compaction rounds that re-wrote chunks").register(metrics);
    }
    RangeStats rangeStats = RangeStats.get(system);
    FunctionCounter.builder("troupe_range_write_commands", rangeStats, RangeStats::writeCommands)
        .description("write commands accepted by range actors").register(metrics);
    FunctionCounter.builder("troupe_range_journal_writes", rangeStats, RangeStats::writeJournalWrites)
        .description("journal writes carrying them (group commit makes this smaller)").register(metrics);
    Timer journalWrite = Timer.builder("troupe_range_journal_write").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(10))
        .description("a group-commit flush from its persist call to the journal's acknowledgement").register(metrics);
    rangeStats.onJournalWrite(nanos -> journalWrite.record(nanos, TimeUnit.NANOSECONDS));
    FunctionCounter.builder("troupe_range_txn_journal_writes", rangeStats, RangeStats::txnJournalWrites)
        .description("journal writes for txn records and intent resolution").register(metrics);
    FunctionCounter.builder("troupe_range_txn_ends", rangeStats, RangeStats::txnEnds)
        .description("transaction ends (commit, resolution, record GC) persisted by ranges").register(metrics);
    FunctionCounter.builder("troupe_range_resolve_batch_txns", rangeStats, RangeStats::resolveBatchTxns)
        .description("transactions whose remote intents a batched resolution (ResolveIntentsBatch) resolved")
        .register(metrics);
    FunctionCounter.builder("troupe_range_commands", rangeStats, RangeStats::commands)
        .description("commands handled by range actors' mailboxes").register(metrics);
    FunctionCounter.builder("troupe_range_local_reads", rangeStats, RangeStats::localReads)
        .description("reads answered on the caller's thread").register(metrics);
    for (RangeStats.DeclinedRead reason : RangeStats.DeclinedRead.values()) {
      FunctionCounter.builder("troupe_range_local_reads_declined", rangeStats, st -> st.localReadsDeclined(reason))
          .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
          .description("reads of a local range sent to its mailbox, by why").register(metrics);
    }
    FunctionCounter.builder("troupe_range_intents_written", rangeStats, RangeStats::intentsWritten)
        .description("keys laid as intents or locks").register(metrics);
    FunctionCounter.builder("troupe_range_intents_resolved", rangeStats, RangeStats::intentsResolved)
        .description("intents resolved").register(metrics);
    FunctionCounter.builder("troupe_range_one_phase_commits", rangeStats, RangeStats::onePhaseCommits)
        .description("write commands that committed their transaction in one persist").register(metrics);
    StoreMetrics.register(metrics, rangeStats, LocalRanges.get(system));
    clock = HybridClock.system(config.maxClockOffset());
    clockBound = ClockUpperBound.start(clock, config.store(), CLOCK_BOUND_INTERVAL,
        CLOCK_BOUND_INTERVAL.multipliedBy(2).plus(config.maxClockOffset()));
    Cluster cluster = Cluster.get(system);
    if (config.membership().single()) {
      http.start();
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      serve();
      return;
    }
    // A cluster member: HTTP (with init and status) serves at once; SQL once the node is Up.
    membership = new ClusterMembership(system, config.store(), config.membership().join());
    removal = MemberRemoval.watch(system, closed, this::stopServing);
    new ClusterAdmin(system, membership, whenReady, () -> rangeClient,
        config.journal().kind() == JournalSettings.Kind.CASSANDRA).register(http);
    http.start();
    membership.start();
    LOG.info("TroupeDB node started: cluster address {}, http://{}:{}/cluster/status; serving SQL once it is a"
        + " member of an initialized cluster", cluster.selfMember().address(), http.address().getHostString(),
        http.address().getPort());
    membership.up().thenRunAsync(() -> {
      try {
        serve();
      } catch (Throwable e) {
        if (!closed.get()) {
          LOG.error("node failed to start serving", e);
        }
        whenReady.completeExceptionally(e);
      }
    }, r -> new Thread(r, "troupe-start").start());
  }

  /** KV layer, SQL engine and pgwire on a node that is an Up member; completes {@link #whenReady}. */
  private void serve() throws Exception {
    boolean bootstrap = membership == null || membership.initializedHere(); // once per cluster
    TxnService kv = KvNode.start(system, clock, bootstrap).toCompletableFuture().get(3, TimeUnit.MINUTES);
    rangeClient = new RangeClient(system, clock);
    SqlEngine engine = createEngine(kv);
    // NB: a FunctionCounter holds its state object weakly: the engine (held by pgwire), not the supplier.
    engine.counters().forEach((name, value) -> FunctionCounter.builder(name, engine, e -> value.getAsLong())
        .description("SQL statements: " + name.substring("troupe_sql_".length()).replace('_', ' ')).register(metrics));
    PgTls tls = config.certsDir() == null ? null : PgTls.fromPem(config.certsDir().resolve(Certs.NODE_CERT).toFile(),
        config.certsDir().resolve(Certs.NODE_KEY).toFile(), config.requireTls());
    synchronized (this) {
      if (closed.get()) {
        throw new IllegalStateException("node closed while starting");
      }
      pgServer = new PgServer(new PgServerConfig(config.listen().host(), config.listen().port(),
          config.pgAuth(), pekko.hasPath(IO_THREADS) ? pekko.getInt(IO_THREADS) : 0,
          PgServerConfig.DEFAULT_MAX_MESSAGE_BYTES, tls, config.passwordMethod(),
          pekko.hasPath(SESSION_READ_IDLE) ? pekko.getDuration(SESSION_READ_IDLE)
              : PgServerConfig.DEFAULT_SESSION_READ_IDLE).withLimits(new PgLimits(
          config.maxConnections() != null ? config.maxConnections()
              : pekko.hasPath(MAX_CONNECTIONS) ? pekko.getInt(MAX_CONNECTIONS) : PgLimits.DEFAULT.maxConnections(),
          pekko.hasPath(SUPERUSER_RESERVED) ? pekko.getInt(SUPERUSER_RESERVED)
              : PgLimits.DEFAULT.superuserReservedConnections())), engine);
      pgAddress = pgServer.start();
    }
    ready.set(true);
    if (setting(pekko, WARM_CATALOG, WARM_CATALOG_OLD, true)) {
      catalogWarming = org.troupedb.sql.internal.pgcatalog.CatalogWarmer.start(engine); // background
    }
    LOG.info("TroupeDB node ready in {} ms: postgresql://root@{}:{}/defaultdb, http://{}:{}/health, store {},"
        + " journal {}", Duration.ofNanos(System.nanoTime() - t0).toMillis(), pgAddress.getHostString(),
        pgAddress.getPort(), http.address().getHostString(), http.address().getPort(),
        config.store().toAbsolutePath(), config.journal());
    whenReady.complete(null);
  }

  /**
   * The SQL engine, whose creation bootstraps the catalog once per cluster. NB: nodes joining at
   * the same time race on that bootstrap (a serializable transaction); the losers see a retry
   * error (40001) and, on their next attempt, the catalog the winner wrote.
   */
  private static SqlEngine createEngine(TxnService kv) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return TroupeSqlEngine.create(kv);
      } catch (SqlException e) {
        if (!"40001".equals(e.sqlState()) || attempt >= ENGINE_ATTEMPTS) {
          throw e;
        }
        LOG.info("catalog bootstrap met a concurrent one (attempt {}): {}; retrying", attempt, e.getMessage());
        Thread.sleep(100L * attempt);
      }
    }
  }

  /**
   * Completes once the node serves SQL: at once after {@link #start} for a single node; for a
   * cluster member, after it joined an initialized cluster (fails if starting to serve failed).
   */
  public CompletableFuture<Void> whenReady() {
    return whenReady;
  }

  /**
   * Stops serving SQL: not ready, the catalog warmer stopped, pgwire closed (running statements
   * end with 57014, connections with 57P01). Idempotent.
   */
  private void stopServing() {
    ready.set(false);
    catalogWarming.cancel(false); // the warmer stops before its next statement
    PgServer pg;
    synchronized (this) {
      pg = pgServer;
    }
    if (pg != null) {
      try {
        pg.close();
      } catch (Exception e) {
        LOG.warn("error stopping pgwire", e);
      }
    }
  }

  /** The address pgwire listens on (with the real port when 0 was configured); null before ready. */
  public InetSocketAddress pgAddress() {
    return pgAddress;
  }

  public InetSocketAddress httpAddress() {
    return http.address();
  }

  /**
   * Completes when the cluster removed this member (downed): it has stopped serving SQL and
   * should exit, to be restarted as a new member. Never completes on a single node.
   */
  public CompletableFuture<String> whenRemoved() {
    MemberRemoval r = removal;
    return r == null ? new CompletableFuture<>() : r.removed();
  }

  /** Stops accepting connections, then stops the actor system (flushing the journal). Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopServing();
    whenReady.completeExceptionally(new IllegalStateException("node closed"));
    if (system != null) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(90, TimeUnit.SECONDS); // a decommission hands off first
      } catch (Exception e) {
        LOG.warn("actor system did not terminate in time", e);
      }
    }
    if (clockBound != null) {
      clockBound.close();
    }
    if (compactor != null) {
      compactor.close(); // after the journal's last write; closes the database if it was the last connection
    }
    if (http != null) {
      http.close();
    }
    metrics.close();
    LOG.info("TroupeDB node stopped");
  }
}
