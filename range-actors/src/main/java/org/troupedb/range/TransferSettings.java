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

  public static TransferSettings fromConfig(Config root) {
    Config c = root.getConfig("troupedb.kv.split-transfer");
    return new TransferSettings((int) c.getBytes("chunk-bytes").longValue(), c.getInt("window"),
        c.getDuration("chunk-timeout"), c.getInt("retries"), c.getDuration("retry-after"));
  }
}
