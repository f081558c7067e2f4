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
  /** Opened on first use; guarded by this. */
  private RangeDataDb db;
  private boolean closed;

  RangeStorage(Config root) {
    Config c = root.getConfig("troupedb.kv");
    this.kind = parse(c.getString("range-storage"));
    this.dir = c.getString("range-storage-dir");
    this.cacheBytes = c.getBytes("disk-cache-size");
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

  private synchronized RangeDataDb db() {
    if (closed) {
      throw new IllegalStateException("the range store is closed");
    }
    if (db == null) {
      db = RangeDataDb.open(Path.of(dir), cacheBytes);
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
