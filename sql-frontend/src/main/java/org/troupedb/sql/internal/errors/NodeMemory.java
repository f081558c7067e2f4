package org.troupedb.sql.internal.errors;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide pool that every statement's {@link MemoryBudget} reserves from, so that many
 * sessions together cannot take more of the heap than {@link #capBytes()} (estimated), however
 * each one's own budget is set. Thread-safe: one {@link AtomicLong} of bytes in use.
 */
public final class NodeMemory {
  /** The setting (JVM system property) of the cap; a memory value such as {@code 96MB}. */
  public static final String SETTING = "troupedb.sql.node-memory";

  private final long capBytes;
  private final AtomicLong used = new AtomicLong();

  public NodeMemory(long capBytes) {
    this.capBytes = capBytes;
  }

  /**
   * The node's pool: {@link #SETTING} if set, else a quarter of the JVM's maximum heap (the rest
   * is for the KV layer's caches, pgwire buffers and results on their way to clients).
   */
  public static NodeMemory fromSystemProperties() {
    String v = System.getProperty(SETTING);
    long cap = Runtime.getRuntime().maxMemory() / 4;
    if (v != null) {
      try {
        cap = MemorySetting.bytes(SETTING, v);
      } catch (org.troupedb.sql.SqlException e) {
        org.slf4j.LoggerFactory.getLogger(NodeMemory.class).warn("{}; using {} bytes", e.getMessage(), cap);
      }
    }
    return new NodeMemory(cap);
  }

  public long capBytes() {
    return capBytes;
  }

  /** Bytes reserved by running statements now. */
  public long usedBytes() {
    return used.get();
  }

  /** Takes {@code bytes} from the pool if that keeps it within the cap. */
  boolean tryReserve(long bytes) {
    long u;
    do {
      u = used.get();
      if (u + bytes > capBytes) {
        return false;
      }
    } while (!used.compareAndSet(u, u + bytes));
    return true;
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }
}
