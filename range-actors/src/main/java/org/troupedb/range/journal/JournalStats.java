package org.troupedb.range.journal;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Per-ActorSystem counters of the embedded journal: durable writes (one RocksDB batch each) against
 * the writes and events they carried. Writes per batch is the group commit across ranges.
 */
public final class JournalStats implements Extension {

  private static final ExtensionId<JournalStats> ID = new ExtensionId<>() {
    @Override
    public JournalStats createExtension(ActorSystem<?> system) {
      return new JournalStats();
    }
  };

  private final LongAdder batches = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder events = new LongAdder();

  public static JournalStats get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  void batchWritten(int writeCount, long eventCount) {
    batches.increment();
    writes.add(writeCount);
    events.add(eventCount);
  }

  /** Durable store writes (each one WAL append, fsynced when the journal syncs). */
  public long batches() {
    return batches.sum();
  }

  /** Journal writes (a persist of an actor, or a delete) those batches carried. */
  public long writes() {
    return writes.sum();
  }

  /** Events those writes carried. */
  public long events() {
    return events.sum();
  }
}
