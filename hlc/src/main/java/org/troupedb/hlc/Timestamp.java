package org.troupedb.hlc;

import java.nio.ByteBuffer;

/**
 * A hybrid logical clock timestamp: physical wall time in nanoseconds since the epoch plus a
 * logical counter that orders events within the same wall time. Totally ordered by
 * (wallTime, logical).
 *
 * <p>Encoding: 12 bytes, big-endian {@code wallTime (8) | logical (4)}, so the byte order of
 * encoded timestamps equals their natural order.
 */
public record Timestamp(long wallTime, int logical) implements Comparable<Timestamp> {

  public static final Timestamp ZERO = new Timestamp(0, 0);
  public static final Timestamp MAX = new Timestamp(Long.MAX_VALUE, Integer.MAX_VALUE);
  public static final int ENCODED_LENGTH = 12;

  public Timestamp {
    if (wallTime < 0 || logical < 0) {
      throw new IllegalArgumentException("negative timestamp component: " + wallTime + "," + logical);
    }
  }

  @Override
  public int compareTo(Timestamp o) {
    int c = Long.compare(wallTime, o.wallTime);
    return c != 0 ? c : Integer.compare(logical, o.logical);
  }

  public boolean isBefore(Timestamp o) {
    return compareTo(o) < 0;
  }

  public boolean isAfter(Timestamp o) {
    return compareTo(o) > 0;
  }

  /** The smallest timestamp strictly greater than this one. */
  public Timestamp next() {
    return logical == Integer.MAX_VALUE ? new Timestamp(wallTime + 1, 0) : new Timestamp(wallTime, logical + 1);
  }

  /** The larger of the two. */
  public static Timestamp max(Timestamp a, Timestamp b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** This timestamp moved forward by {@code nanos} of wall time (logical reset to 0). */
  public Timestamp plusNanos(long nanos) {
    return new Timestamp(wallTime + nanos, 0);
  }

  public byte[] encode() {
    return ByteBuffer.allocate(ENCODED_LENGTH).putLong(wallTime).putInt(logical).array();
  }

  public static Timestamp decode(byte[] bytes) {
    if (bytes.length != ENCODED_LENGTH) {
      throw new IllegalArgumentException("timestamp encoding must be 12 bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    return new Timestamp(b.getLong(), b.getInt());
  }

  /** {@code 1700000000.000000000,3}: seconds.nanos,logical (the CockroachDB textual form). */
  @Override
  public String toString() {
    return String.format("%d.%09d,%d", wallTime / 1_000_000_000L, wallTime % 1_000_000_000L, logical);
  }
}
