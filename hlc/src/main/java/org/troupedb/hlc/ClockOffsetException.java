package org.troupedb.hlc;

/** A remote timestamp was further ahead of the local physical clock than the configured max offset. */
public final class ClockOffsetException extends RuntimeException {
  private final Timestamp remote;
  private final long offsetNanos;

  public ClockOffsetException(Timestamp remote, long physicalNow, long maxOffsetNanos) {
    super(String.format("remote timestamp %s is %d ms ahead of the local clock (max offset %d ms)",
        remote, (remote.wallTime() - physicalNow) / 1_000_000, maxOffsetNanos / 1_000_000));
    this.remote = remote;
    this.offsetNanos = remote.wallTime() - physicalNow;
  }

  public Timestamp remote() {
    return remote;
  }

  public long offsetNanos() {
    return offsetNanos;
  }
}
