package org.troupedb.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.hlc.HybridClock;
import org.troupedb.hlc.Timestamp;

/**
 * Keeps the node's hybrid logical clock from going backwards across a restart (DESIGN §4, issue
 * 13), as CockroachDB's persisted wall-time upper bound does: the store holds a wall time above
 * every timestamp the clock has handed out, written (and synced) once at start and then every
 * {@code interval} as the clock's latest reading plus {@code lead}. A restarted node waits until
 * its physical clock has passed the persisted bound, then moves its clock above it, before it
 * serves anything, so even if the physical clock has stepped back (or the node was pushed ahead
 * by a faster peer) no timestamp repeats or goes back.
 *
 * <p>NB: the guarantee holds while the writer keeps up: a disk stall longer than {@code lead -
 * interval} lets the clock run past the last persisted bound, and the bound is then logged as
 * late. {@code lead} also covers remote updates, which may move the clock up to the max offset
 * ahead of the physical clock between two writes.
 */
final class ClockUpperBound implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClockUpperBound.class);
  static final String FILE = "hlc-upper-bound";

  private final HybridClock clock;
  private final Path file;
  private final long leadNanos;
  private final ScheduledExecutorService timer;
  private volatile long persisted;

  private ClockUpperBound(HybridClock clock, Path storeDir, Duration lead) {
    this.clock = clock;
    this.file = storeDir.resolve(FILE);
    this.leadNanos = lead.toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "troupe-hlc-bound");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Moves {@code clock} above the bound persisted in {@code storeDir} (if any), persists a new one
   * and keeps it ahead every {@code interval}. Call before the clock stamps anything.
   */
  static ClockUpperBound start(HybridClock clock, Path storeDir, Duration interval, Duration lead)
      throws IOException {
    if (lead.compareTo(interval.plus(clock.maxOffset())) <= 0) {
      throw new IllegalArgumentException("the clock bound's lead (" + lead + ") must exceed its interval ("
          + interval + ") plus the max clock offset (" + clock.maxOffset() + ")");
    }
    ClockUpperBound b = new ClockUpperBound(clock, storeDir, lead);
    long before = read(b.file);
    if (before > 0) {
      waitForPhysicalClock(clock, before);
      clock.forwardTo(new Timestamp(before, 0));
    }
    b.persist();
    long ms = interval.toMillis();
    b.timer.scheduleWithFixedDelay(b::persistQuietly, ms, ms, TimeUnit.MILLISECONDS);
    return b;
  }

  /**
   * Waits until the physical clock has passed {@code bound}, as CockroachDB does at start: a
   * clock merely forwarded past it would stamp timestamps further ahead of physical time than
   * the max offset, which every range (this node's included) refuses as "clock offset too large".
   * After a clean restart the wait is at most the lead; after the physical clock stepped back, it
   * is as long as the step, logged every 10 s.
   */
  private static void waitForPhysicalClock(HybridClock clock, long bound) {
    long behind = bound - clock.physicalNow();
    if (behind <= 0) {
      return;
    }
    LOG.info("waiting {} ms for the physical clock to pass the clock bound persisted before the restart",
        TimeUnit.NANOSECONDS.toMillis(behind));
    long nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((behind = bound - clock.physicalNow()) > 0) {
      if (System.nanoTime() > nextLog) {
        LOG.warn("the physical clock is still {} ms behind the persisted clock bound; still waiting",
            TimeUnit.NANOSECONDS.toMillis(behind));
        nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      }
      try {
        Thread.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(behind))));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the clock bound", e);
      }
    }
  }

  /** The bound last written, in nanoseconds since the epoch. */
  long persisted() {
    return persisted;
  }

  /** The bound in {@code file}, or 0 when there is none. */
  static long read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    String text = Files.readString(file).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException("unreadable clock bound in " + file + ": " + text, e);
    }
  }

  private void persist() throws IOException {
    long latest = clock.peek().wallTime();
    if (persisted > 0 && latest > persisted) {
      LOG.warn("the clock ran {} ms past its persisted bound before the bound was renewed (slow disk?)",
          TimeUnit.NANOSECONDS.toMillis(latest - persisted));
    }
    long bound = Math.max(latest, clock.physicalNow()) + leadNanos;
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((bound + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    persisted = bound;
  }

  private void persistQuietly() {
    try {
      persist();
    } catch (IOException | RuntimeException e) {
      LOG.error("could not persist the clock bound in {}", file, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
