package org.troupedb.range.journal;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.serialization.SerializationExtension;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * The single-node snapshot store plugin, in the same RocksDB store as {@link EmbeddedJournal}
 * (keys {@code 's' pid 0x00 seqNr}). A save is one synced write of its own (snapshots are rare and
 * large; RocksDB groups it with whatever else is being written). Everything runs on Pekko's
 * blocking-IO dispatcher.
 */
public final class EmbeddedSnapshotStore extends SnapshotStore {
  private final JournalDb store;
  private final ReprCodec codec;
  private final Executor io;

  public EmbeddedSnapshotStore(Config config) throws Exception {
    this.store = JournalDb.acquire(Path.of(config.getString("dir")), config.getBoolean("sync"),
        config.getInt("max-batch"), JournalStats.get(Adapter.toTyped(context().system())));
    this.codec = new ReprCodec(SerializationExtension.get(context().system()));
    this.io = context().system().dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher");
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return async(() -> {
      for (Found f : store.use(db -> matching(db, persistenceId, criteria))) { // newest first
        SnapshotMetadata meta = new SnapshotMetadata(persistenceId, f.seqNr(), f.timestamp());
        return Optional.of(SelectedSnapshot.create(meta, codec.decodeSnapshot(f.value())));
      }
      return Optional.empty();
    });
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    return async(() -> {
      byte[] value = codec.encodeSnapshot(metadata.timestamp(), snapshot);
      return store.use(db -> {
        db.put(store.directWrites, JournalKeys.key(JournalKeys.SNAPSHOT, metadata.persistenceId(),
            metadata.sequenceNr()), value);
        return null;
      });
    });
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    return async(() -> {
      return store.use(db -> {
        db.delete(store.directWrites, JournalKeys.key(JournalKeys.SNAPSHOT, metadata.persistenceId(),
            metadata.sequenceNr()));
        return null;
      });
    });
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return async(() -> store.use(db -> {
      try (WriteBatch batch = new WriteBatch()) {
        for (Found f : matching(db, persistenceId, criteria)) {
          batch.delete(JournalKeys.key(JournalKeys.SNAPSHOT, persistenceId, f.seqNr()));
        }
        db.write(store.directWrites, batch);
      }
      return null;
    }));
  }

  private record Found(long seqNr, long timestamp, byte[] value) {}

  /** The snapshots of {@code persistenceId} within {@code criteria}, newest first. */
  private static List<Found> matching(RocksDB db, String persistenceId, SnapshotSelectionCriteria criteria)
      throws RocksDBException {
    List<Found> found = new ArrayList<>();
    byte[] prefix = JournalKeys.prefix(JournalKeys.SNAPSHOT, persistenceId);
    try (RocksIterator it = db.newIterator()) {
      it.seekForPrev(JournalKeys.key(JournalKeys.SNAPSHOT, persistenceId, Math.max(0, criteria.maxSequenceNr())));
      for (; it.isValid(); it.prev()) {
        byte[] key = it.key();
        if (!JournalKeys.hasPrefix(key, prefix)) {
          break;
        }
        long seqNr = JournalKeys.seqNr(key);
        if (seqNr < criteria.minSequenceNr()) {
          break;
        }
        byte[] value = it.value();
        long ts = ReprCodec.snapshotTimestamp(value);
        if (ts <= criteria.maxTimestamp() && ts >= criteria.minTimestamp()) {
          found.add(new Found(seqNr, ts, value));
        }
      }
      it.status();
    }
    return found;
  }

  private interface Io<T> {
    T run() throws Exception;
  }

  private <T> Future<T> async(Io<T> io) {
    return FutureConverters.asScala(CompletableFuture.supplyAsync(() -> {
      try {
        return io.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("snapshot store: " + e.getMessage(), e);
      }
    }, this.io));
  }

  @Override
  public void postStop() throws Exception {
    store.release();
    super.postStop();
  }
}
