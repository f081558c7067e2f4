package org.troupedb.range.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AbstractPersistentActor;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.range.StorageConfig;

/**
 * Benchmark (not a timed test) of the journal alone: N persistent actors each persisting small
 * events (100 bytes) one after the other for a while, on each journal configuration; events/s,
 * persist latency p50/p99, and store commits (H2 MVStore versions, or the embedded journal's
 * batches) per event. Afterwards every actor is recovered in a new ActorSystem and must replay
 * exactly the events it had acknowledged.
 *
 * <p>{@code mvn -B -o -pl range-actors -am test -DexcludedGroups=none -Dtest=JournalBench
 * -Dsurefire.failIfNoSpecifiedTests=false} (options: {@code -Djournal.bench.seconds=5
 * -Djournal.bench.actors=1,16,128 -Djournal.bench.plugins=h2,embedded-sync,embedded-nosync});
 * the table is also written to {@code range-actors/target/journal-bench.txt}.
 */
@Tag("bench")
class JournalBench {

  @TempDir
  Path tmp;

  /** Persists an event, and when it is acknowledged the next, until told the deadline. */
  static final class Writer extends AbstractPersistentActor {
    private final String id;
    private final Recorder latencies;
    private final long deadlineNanos;
    private final CompletableFuture<Long> done;
    private final byte[] event = new byte[100];
    private long acked;

    Writer(String id, Recorder latencies, long deadlineNanos, CompletableFuture<Long> done) {
      this.id = id;
      this.latencies = latencies;
      this.deadlineNanos = deadlineNanos;
      this.done = done;
    }

    @Override
    public String persistenceId() {
      return id;
    }

    @Override
    public Receive createReceiveRecover() {
      return receiveBuilder().matchAny(e -> acked++).build();
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().matchEquals("go", g -> next()).matchEquals("count", c -> {
        done.complete(acked);
      }).build();
    }

    private void next() {
      long t0 = System.nanoTime();
      persist(event, e -> {
        acked++;
        latencies.recordValue((System.nanoTime() - t0) / 1000);
        if (System.nanoTime() < deadlineNanos) {
          next();
        } else {
          done.complete(acked);
        }
      });
    }
  }

  record Result(String plugin, int actors, long events, double seconds, long p50us, long p99us, long commits) {}

  @Test
  void journalAlone() throws Exception {
    int seconds = Integer.getInteger("journal.bench.seconds", 5);
    String[] actorCounts = System.getProperty("journal.bench.actors", "1,16,128").split(",");
    String[] plugins = System.getProperty("journal.bench.plugins", "h2,embedded-sync,embedded-nosync").split(",");
    List<Result> results = new ArrayList<>();
    for (String plugin : plugins) {
      for (String n : actorCounts) {
        results.add(run(plugin, Integer.parseInt(n.trim()), seconds));
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.format("journal alone: 100-byte events, each actor persists the next when the last is acknowledged,"
        + " %d s per run", seconds));
    lines.add(String.format("%-16s %7s %10s %9s %9s %12s", "journal", "actors", "events/s", "p50 µs", "p99 µs",
        "events/commit"));
    for (Result r : results) {
      lines.add(String.format("%-16s %7d %10.0f %9d %9d %12.1f", r.plugin(), r.actors(), r.events() / r.seconds(),
          r.p50us(), r.p99us(), r.commits() == 0 ? 0.0 : (double) r.events() / r.commits()));
    }
    String report = String.join("\n", lines);
    System.out.println(report);
    Files.writeString(Path.of("target", "journal-bench.txt"), report + "\n");
  }

  private Result run(String plugin, int actors, int seconds) throws Exception {
    Path dir = tmp.resolve(plugin + "-" + actors);
    Recorder latencies = new Recorder(3);
    List<CompletableFuture<Long>> acked = new ArrayList<>();
    long events;
    long commits;
    long elapsed;
    ActorSystem system = ActorSystem.create("bench", config(plugin, dir));
    try (CommitCounter counter = CommitCounter.of(plugin, dir, system)) {
      warmUp(system);
      long before = counter.commits();
      long t0 = System.nanoTime();
      long deadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
      for (int i = 0; i < actors; i++) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        acked.add(done);
        String id = "w-" + plugin + "-" + actors + "-" + (i + 1);
        system.actorOf(Props.create(Writer.class, () -> new Writer(id, latencies, deadline, done)))
            .tell("go", ActorRef.noSender());
      }
      CompletableFuture.allOf(acked.toArray(CompletableFuture[]::new)).get(seconds + 120L, TimeUnit.SECONDS);
      elapsed = System.nanoTime() - t0;
      commits = counter.commits() - before;
      events = acked.stream().mapToLong(CompletableFuture::join).sum();
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    // Recovery: each actor replays exactly what it had acknowledged.
    ActorSystem again = ActorSystem.create("bench-recover", config(plugin, dir));
    try {
      for (int i = 0; i < actors; i++) {
        CompletableFuture<Long> count = new CompletableFuture<>();
        String id = "w-" + plugin + "-" + actors + "-" + (i + 1);
        again.actorOf(Props.create(Writer.class, () -> new Writer(id, latencies, 0, count)))
            .tell("count", ActorRef.noSender());
        assertThat(count.get(60, TimeUnit.SECONDS)).as(id).isEqualTo(acked.get(i).join());
      }
    } finally {
      again.terminate();
      again.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    var h = latencies.getIntervalHistogram();
    return new Result(plugin, actors, events, elapsed / 1e9, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
        commits);
  }

  /** One persist on its own, so plugin start-up is not timed. */
  private static void warmUp(ActorSystem system) throws Exception {
    CompletableFuture<Long> done = new CompletableFuture<>();
    system.actorOf(Props.create(Writer.class, () -> new Writer("warm-up", new Recorder(3), 0, done)))
        .tell("go", ActorRef.noSender());
    done.get(60, TimeUnit.SECONDS);
  }

  static Config config(String plugin, Path dir) {
    Config journal = switch (plugin) {
      case "h2" -> StorageConfig.h2(dir);
      case "h2-parallel4" -> ConfigFactory.parseString("jdbc-journal.parallelism = 4").withFallback(StorageConfig.h2(dir));
      case "embedded-sync" -> EmbeddedStorageConfig.embedded(dir);
      case "embedded-nosync" -> ConfigFactory.parseString("troupe-journal.sync = off")
          .withFallback(EmbeddedStorageConfig.embedded(dir));
      default -> throw new IllegalArgumentException("unknown journal " + plugin);
    };
    return journal.withFallback(ConfigFactory.parseString("pekko.loglevel = WARNING")).withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Store commits so far: H2's MVStore version, or the embedded journal's batches. */
  interface CommitCounter extends AutoCloseable {
    long commits() throws Exception;

    @Override
    void close() throws Exception;

    static CommitCounter of(String plugin, Path dir, ActorSystem system) throws Exception {
      if (plugin.startsWith("h2")) {
        Connection conn = DriverManager.getConnection(StorageConfig.h2Url(dir), "sa", "");
        var store = ((SessionLocal) conn.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
            .getMvStore();
        return new CommitCounter() {
          @Override
          public long commits() {
            return store.getCurrentVersion();
          }

          @Override
          public void close() throws Exception {
            conn.close();
          }
        };
      }
      JournalStats stats = JournalStats.get(Adapter.toTyped(system));
      return new CommitCounter() {
        @Override
        public long commits() {
          return stats.batches();
        }

        @Override
        public void close() {}
      };
    }
  }
}
