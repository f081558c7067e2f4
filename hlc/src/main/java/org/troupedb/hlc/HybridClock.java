package org.troupedb.hlc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al.): {@link #now()} never goes backwards and is always
 * at least the physical clock; {@link #update(Timestamp)} merges a timestamp received from
 * another node so that causally later events get larger timestamps.
 *
 * <p>The physical clock is injected ({@link LongSupplier} of nanoseconds since the epoch) so tests
 * can drive it. Thread-safe and lock-free: the current timestamp is advanced by a CAS loop.
 *
 * <p>NB: {@link #update} refuses (throws {@link ClockOffsetException}) a remote timestamp whose
 * wall time is more than {@code maxOffset} ahead of the local physical clock: accepting it would
 * drag this node's clock forward unboundedly and break the uncertainty interval's guarantee.
 */
public final class HybridClock {

  /** The system wall clock in nanoseconds since the epoch (microsecond resolution on most JVMs). */
  public static final LongSupplier SYSTEM_CLOCK = () -> {
    java.time.Instant i = java.time.Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  };

  private final LongSupplier physicalClock;
  private final long maxOffsetNanos;
  private final AtomicReference<Timestamp> last = new AtomicReference<>(Timestamp.ZERO);

  public HybridClock(LongSupplier physicalClock, Duration maxOffset) {
    if (maxOffset.isNegative()) {
      throw new IllegalArgumentException("max offset must not be negative");
    }
    this.physicalClock = physicalClock;
    this.maxOffsetNanos = maxOffset.toNanos();
  }

  /** A clock on the system wall time with the given max offset. */
  public static HybridClock system(Duration maxOffset) {
    return new HybridClock(SYSTEM_CLOCK, maxOffset);
  }

  public Duration maxOffset() {
    return Duration.ofNanos(maxOffsetNanos);
  }

  /** The physical clock reading, without touching the HLC state. */
  public long physicalNow() {
    return physicalClock.getAsLong();
  }

  /** A timestamp greater than every timestamp this clock has returned or been updated with. */
  public Timestamp now() {
    while (true) {
      Timestamp prev = last.get();
      long physical = physicalClock.getAsLong();
      Timestamp next = physical > prev.wallTime() ? new Timestamp(physical, 0) : prev.next();
      if (last.compareAndSet(prev, next)) {
        return next;
      }
    }
  }

  /**
   * Merges a timestamp observed from another node: afterwards {@link #now()} returns something
   * greater than {@code remote}.
   *
   * @throws ClockOffsetException if {@code remote} is further ahead than the max offset
   */
  public void update(Timestamp remote) {
    long physical = physicalClock.getAsLong();
    if (maxOffsetNanos > 0 && remote.wallTime() - physical > maxOffsetNanos) {
      throw new ClockOffsetException(remote, physical, maxOffsetNanos);
    }
    while (true) {
      Timestamp prev = last.get();
      if (remote.compareTo(prev) <= 0) {
        return;
      }
      if (last.compareAndSet(prev, remote)) {
        return;
      }
    }
  }

  /**
   * Moves the clock to at least {@code floor} without the max-offset check: for a floor the node
   * itself persisted before a restart (the clock must never hand out a timestamp at or below one
   * it handed out before, even if the physical clock has stepped back meanwhile).
   */
  public void forwardTo(Timestamp floor) {
    while (true) {
      Timestamp prev = last.get();
      if (floor.compareTo(prev) <= 0 || last.compareAndSet(prev, floor)) {
        return;
      }
    }
  }

  /** The latest timestamp handed out or merged, without advancing the clock. */
  public Timestamp peek() {
    return last.get();
  }
}
