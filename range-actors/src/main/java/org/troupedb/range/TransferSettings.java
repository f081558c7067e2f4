package org.troupedb.range;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a split streams its right half to the new range ({@link SplitTransfer}), from
 * {@code troupedb.kv.split-transfer} in the config.
 *
 * @param chunkBytes the most bytes one chunk message may take serialized (Artery's frame is 256 KiB)
 * @param window chunks sent and not yet acknowledged, at most
 * @param chunkTimeout how long a chunk waits for its acknowledgement before it is sent again
 * @param retries how often the oldest unacknowledged chunk is sent again before the split is given up
 * @param retryAfter how long a range whose size-triggered split failed waits before it tries again
 */
public record TransferSettings(int chunkBytes, int window, Duration chunkTimeout, int retries, Duration retryAfter) {

  /** Pekko's setting for the largest message Artery sends (256 KiB by default). */
  static final String FRAME = "pekko.remote.artery.advanced.maximum-frame-size";

  /**
   * The settings in {@code root}.
   *
   * @throws IllegalArgumentException if a chunk would not fit in Artery's frame (with room for its envelope)
   */
  public static TransferSettings fromConfig(Config root) {
    Config c = root.getConfig("troupedb.kv.split-transfer");
    TransferSettings s = new TransferSettings((int) c.getBytes("chunk-bytes").longValue(), c.getInt("window"),
        c.getDuration("chunk-timeout"), c.getInt("retries"), c.getDuration("retry-after"));
    if (root.hasPath(FRAME) && s.chunkBytes() > root.getBytes(FRAME) - 16 * 1024) {
      throw new IllegalArgumentException("troupedb.kv.split-transfer.chunk-bytes (" + s.chunkBytes()
          + ") must stay 16 KiB below " + FRAME + " (" + root.getBytes(FRAME) + ")");
    }
    if (s.chunkBytes() < 4 * 1024 || s.window() < 1 || s.retries() < 0) {
      throw new IllegalArgumentException("troupedb.kv.split-transfer: chunk-bytes >= 4KiB, window >= 1, retries >= 0");
    }
    return s;
  }
}
