package org.troupedb.range;

import java.time.Duration;

/**
 * Tuning of range actors, from {@code troupedb.kv} in the config.
 *
 * @param gcInterval how often a range looks for MVCC garbage below now - gcTtl (0: never)
 * @param splitBytes a range larger than this ({@link MvccStore#sizeBytes()}) splits (0: no limit)
 * @param passivateIdleAfter a range that served nothing for this long stops (0: never)
 */
public record RangeSettings(int snapshotEvery, Duration txnExpiry, int tsCachePoints, int tsCacheSpans, int splitKeys,
    boolean groupCommit, Duration gcTtl, Duration gcInterval, long splitBytes, Duration passivateIdleAfter) {
  /** No background GC, no byte limit, no passivation. */
  public RangeSettings(int snapshotEvery, Duration txnExpiry, int tsCachePoints, int tsCacheSpans, int splitKeys,
      boolean groupCommit, Duration gcTtl) {
    this(snapshotEvery, txnExpiry, tsCachePoints, tsCacheSpans, splitKeys, groupCommit, gcTtl, Duration.ZERO, 0,
        Duration.ZERO);
  }

  public static RangeSettings fromConfig(com.typesafe.config.Config root) {
    com.typesafe.config.Config c = root.getConfig("troupedb.kv");
    return new RangeSettings(c.getInt("snapshot-every"), c.getDuration("txn-expiry"),
        c.getInt("ts-cache-points"), c.getInt("ts-cache-spans"), c.getInt("split-keys"),
        c.getBoolean("group-commit"), c.getDuration("gc-ttl"), c.getDuration("gc-interval"),
        c.getBytes("split-bytes"), c.getDuration("passivate-idle-after"));
  }
}
