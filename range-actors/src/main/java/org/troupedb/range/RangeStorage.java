package org.troupedb.range;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Where this node's ranges keep their MVCC data ({@code troupedb.kv.range-storage}): {@code heap}
 * (the default: {@link HeapEntries}) or {@code disk} (one {@link RangeDataDb} in
 * {@code troupedb.kv.range-storage-dir}, which the node sets to {@code <store>/range-data}, with a
 * block cache of {@code troupedb.kv.disk-cache-size}; each range a {@link DiskEntries} prefix).
 * The disk store is opened on the first range that needs it and closed when the system terminates.
 *
 * <p>{@code troupedb.kv.range-storage-snapshots} says how a disk range recovers: {@code markers}
 * (the store is durable, a snapshot records only the applied sequence number and a restart replays
 * only the journal's tail: {@link RangeStoreSync}) or {@code full} (the store is rebuilt from full
 * snapshots and replay at every start); {@code auto}, the default, is {@code full} with a Cassandra
 * journal (a range that moves to another node finds no store there) and {@code markers} otherwise.
 */
public final class RangeStorage implements Extension {

  private static final ExtensionId<RangeStorage> ID = new ExtensionId<>() {
    @Override
    public RangeStorage createExtension(ActorSystem<?> system) {
      RangeStorage s = new RangeStorage(system.settings().config());
      system.getWhenTerminated().thenRun(s::close);
      return s;
    }
  };

  /** The implementations a node can keep range data in. */
  public enum Kind { HEAP, DISK }

  private final Kind kind;
  private final String dir;
  private final long cacheBytes;
  /** Disk only: snapshots are markers and the store survives restarts (see the class comment). */
  private final boolean markers;
  /** Opened on first use; guarded by this. */
  private RangeDataDb db;
  private boolean closed;

  RangeStorage(Config root) {
    Config c = root.getConfig("troupedb.kv");
    this.kind = parse(c.getString("range-storage"));
    this.dir = c.getString("range-storage-dir");
    this.cacheBytes = c.getBytes("disk-cache-size");
    this.markers = kind == Kind.DISK && markerSnapshots(c.getString("range-storage-snapshots"),
        root.getString("pekko.persistence.journal.plugin"));
    if (kind == Kind.DISK && dir.isBlank()) {
      throw new IllegalArgumentException(
          "troupedb.kv.range-storage = disk needs troupedb.kv.range-storage-dir (the node sets it under --store)");
    }
  }

  public static RangeStorage get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** {@code heap} or {@code disk}; anything else is refused. */
  public static Kind parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "heap" -> Kind.HEAP;
      case "disk" -> Kind.DISK;
      default -> throw new IllegalArgumentException(
          "troupedb.kv.range-storage must be heap or disk, not '" + text + "'");
    };
  }

  public Kind kind() {
    return kind;
  }

  /** {@code markers}, {@code full} or {@code auto} (markers unless the journal plugin is Cassandra's). */
  static boolean markerSnapshots(String setting, String journalPlugin) {
    return switch (setting.toLowerCase(Locale.ROOT)) {
      case "markers" -> true;
      case "full" -> false;
      case "auto" -> !journalPlugin.contains("cassandra");
      default -> throw new IllegalArgumentException(
          "troupedb.kv.range-storage-snapshots must be auto, markers or full, not '" + setting + "'");
    };
  }

  /** Whether disk ranges keep their store across restarts and snapshot only markers ({@link RangeStoreSync}). */
  public boolean markerSnapshots() {
    return markers;
  }

  /**
   * A fresh, empty store for the range entity {@code entityId} (on disk: its prefix emptied, as
   * the range is about to be rebuilt from its snapshot and journal).
   */
  MvccStore newStore(String entityId, long gcTtlNanos) {
    if (kind == Kind.HEAP) {
      return new MvccStore(gcTtlNanos);
    }
    return new MvccStore(gcTtlNanos, new DiskEntries(db(), storeId(entityId)));
  }

  /** The store key prefix of a range: its id, or for a non-numeric entity (tests) a hash above every id. */
  static long storeId(String entityId) {
    try {
      return Long.parseLong(entityId);
    } catch (NumberFormatException e) {
      return (1L << 40) + (entityId.hashCode() & 0xffffffffL);
    }
  }

  synchronized RangeDataDb db() {
    if (closed) {
      throw new IllegalStateException("the range store is closed");
    }
    if (db == null) {
      db = RangeDataDb.open(Path.of(dir), cacheBytes, markers);
    }
    return db;
  }

  synchronized void close() {
    closed = true;
    if (db != null) {
      db.close();
    }
  }
}
