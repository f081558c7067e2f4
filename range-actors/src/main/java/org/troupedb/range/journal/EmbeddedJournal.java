package org.troupedb.range.journal;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.SerializationExtension;
import org.rocksdb.RocksIterator;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * The single-node journal plugin: events in an embedded RocksDB store ({@link JournalDb}), every
 * range's writes group-committed with everyone else's ({@link GroupCommitWriter}). Configured by
 * {@link EmbeddedStorageConfig}; the keys are in {@link JournalKeys}.
 *
 * <p>Deletes ({@code deleteMessagesTo}) drop the events with one range tombstone; the highest
 * sequence number is kept under its own key, so it survives them. Replays and reads of the highest
 * sequence number run on Pekko's blocking-IO dispatcher.
 */
public final class EmbeddedJournal extends AsyncWriteJournal {
  private final JournalDb store;
  private final ReprCodec codec;
  private final Executor reads;

  public EmbeddedJournal(Config config) throws Exception {
    this.store = JournalDb.acquire(Path.of(config.getString("dir")), config.getBoolean("sync"),
        config.getInt("max-batch"), JournalStats.get(Adapter.toTyped(context().system())));
    this.codec = new ReprCodec(SerializationExtension.get(context().system()));
    this.reads = context().system().dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher");
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    List<Optional<Exception>> results = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    int events = 0;
    for (AtomicWrite write : messages) {
      List<PersistentRepr> reprs = CollectionConverters.asJava(write.payload());
      List<byte[]> encoded = new ArrayList<>(reprs.size());
      try {
        for (PersistentRepr r : reprs) {
          encoded.add(codec.encodeEvent(r));
        }
      } catch (Exception e) { // not serializable (Pekko throws NotSerializableException unchecked): this write is rejected, the others go on
        results.add(Optional.of(e));
        continue;
      }
      for (int i = 0; i < reprs.size(); i++) {
        keys.add(JournalKeys.key(JournalKeys.EVENT, write.persistenceId(), reprs.get(i).sequenceNr()));
        values.add(encoded.get(i));
      }
      keys.add(JournalKeys.highest(write.persistenceId()));
      values.add(JournalKeys.longBytes(write.highestSequenceNr()));
      events += reprs.size();
      results.add(Optional.empty());
    }
    Iterable<Optional<Exception>> done = results;
    if (keys.isEmpty()) {
      return Future.successful(done);
    }
    CompletableFuture<Void> written = store.write(batch -> {
      for (int i = 0; i < keys.size(); i++) {
        batch.put(keys.get(i), values.get(i));
      }
    }, events);
    return FutureConverters.asScala(written.thenApply(v -> done));
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    byte[] from = JournalKeys.key(JournalKeys.EVENT, persistenceId, 0);
    byte[] to = toSequenceNr == Long.MAX_VALUE ? JournalKeys.prefixEnd(JournalKeys.EVENT, persistenceId)
        : JournalKeys.key(JournalKeys.EVENT, persistenceId, toSequenceNr + 1);
    return FutureConverters.asScala(store.write(batch -> batch.deleteRange(from, to), 0));
  }

  @Override
  public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
      Consumer<PersistentRepr> replayCallback) {
    return FutureConverters.asScala(CompletableFuture.runAsync(() -> {
      byte[] prefix = JournalKeys.prefix(JournalKeys.EVENT, persistenceId);
      try {
        store.use(db -> {
          long n = 0;
          try (RocksIterator it = db.newIterator()) {
            it.seek(JournalKeys.key(JournalKeys.EVENT, persistenceId, Math.max(0, fromSequenceNr)));
            for (; it.isValid() && n < max; it.next()) {
              byte[] key = it.key();
              if (!JournalKeys.hasPrefix(key, prefix)) {
                break;
              }
              long seqNr = JournalKeys.seqNr(key);
              if (seqNr > toSequenceNr) {
                break;
              }
              replayCallback.accept(codec.decodeEvent(persistenceId, seqNr, it.value()));
              n++;
            }
            it.status();
          }
          return null;
        });
      } catch (Exception e) {
        throw new IllegalStateException("journal replay of " + persistenceId + " failed", e);
      }
    }, reads));
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    return FutureConverters.asScala(CompletableFuture.supplyAsync(() -> {
      try {
        return store.highestSeqNr(persistenceId);
      } catch (Exception e) {
        throw new IllegalStateException("reading the highest sequence number of " + persistenceId + " failed", e);
      }
    }, reads));
  }

  @Override
  public void postStop() throws Exception {
    store.release();
    super.postStop();
  }
}
