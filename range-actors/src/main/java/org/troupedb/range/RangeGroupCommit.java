package org.troupedb.range;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.RangeActor.Command;
import org.troupedb.range.RangeActor.EndTxn;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.GcTxnRecord;
import org.troupedb.range.RangeActor.GcTxnRecords;
import org.troupedb.range.RangeActor.Get;
import org.troupedb.range.RangeActor.GetDirectory;
import org.troupedb.range.RangeActor.Refresh;
import org.troupedb.range.RangeActor.Reply;
import org.troupedb.range.RangeActor.ResolveIntents;
import org.troupedb.range.RangeActor.Scan;
import org.troupedb.range.RangeActor.Span;
import org.troupedb.range.RangeActor.Write;

/**
 * Group commit's queue (DESIGN §4): writes evaluated against durable state but not yet persisted,
 * with their repliers and timestamps, and the keys they latch. The range drains it into ONE
 * journal write; until then a command touching a latched key (or any command that mutates) waits.
 *
 * <p>Besides writes, the ends of transactions queue here too (EndTxn, ResolveIntents, GcTxnRecord:
 * their records and intent resolutions), so that a range's commits share journal writes with its
 * writes instead of each taking one of its own. They latch their keys and their transaction: a
 * command about a transaction with a queued entry (its end, a push, a heartbeat) waits too,
 * because every queued entry was evaluated against the durable state alone.
 *
 * <p>A drained batch keeps its latches while its persist is in flight ({@link #flushLatched}):
 * Pekko applies the batch's events to the state before the journal has them, so until {@link
 * #flushed} those keys hold what is not yet durable, and every other key holds exactly what is
 * (see {@link RangeLifecycle}'s FLUSHING). Only local reads look at these latches: no command
 * runs while the persist is in flight.
 *
 * <p>NB: used on the actor's thread, and read by local readers under the range's state lock
 * (which the actor holds whenever it changes the queue or the flushing latches).
 */
final class RangeGroupCommit {
  /** What one flush persists and whom it answers, index by index. */
  record Batch(List<Event> events, List<ActorRef<Reply>> repliers, List<Timestamp> stamps, List<Runnable> afterwards) {}

  private final List<Event> events = new ArrayList<>();
  private final List<ActorRef<Reply>> repliers = new ArrayList<>();
  private final List<Timestamp> stamps = new ArrayList<>();
  private TreeMap<byte[], Boolean> keys = new TreeMap<>(Keys.COMPARATOR);
  /** What to do once durable, for the queued transaction ends (writes reply through repliers). */
  private final List<Runnable> afterwards = new ArrayList<>();
  /** Transactions whose record or intents a queued end changes. */
  private final Set<UUID> endingTxns = new HashSet<>();
  /** The keys of the drained batch whose persist is in flight (empty when none is). */
  private TreeMap<byte[], Boolean> flushingKeys = new TreeMap<>(Keys.COMPARATOR);
  /** Whether a drained batch's persist is in flight (it may latch no key: a record's GC). */
  private boolean flushing;

  boolean isEmpty() {
    return events.isEmpty();
  }

  /** Queues a write's event; true if the queue was empty (the caller schedules a flush). */
  boolean add(Event event, List<WriteOp> ops, Timestamp ts, ActorRef<Reply> replyTo) {
    boolean first = events.isEmpty();
    events.add(event);
    repliers.add(replyTo);
    stamps.add(ts);
    for (int i = 0; i < ops.size(); i++) {
      keys.put(ops.get(i).key(), Boolean.TRUE);
    }
    return first;
  }

  /**
   * Queues the events of a transaction's end ({@code txnIds}' records, their intents at
   * {@code latchKeys}); {@code after} runs once they are durable (it replies). True if the queue
   * was empty (the caller schedules a flush).
   */
  boolean addEnd(List<Event> txnEvents, List<byte[]> latchKeys, List<UUID> txnIds, Runnable after) {
    boolean first = events.isEmpty();
    events.addAll(txnEvents);
    afterwards.add(after);
    endingTxns.addAll(txnIds);
    for (int i = 0; i < latchKeys.size(); i++) {
      keys.put(latchKeys.get(i), Boolean.TRUE);
    }
    return first;
  }

  /**
   * Empties the queue and returns what it held; its key latches move to the flush in flight
   * (reads of those keys stay off the caller's thread until {@link #flushed}).
   */
  Batch drain() {
    Batch b = new Batch(new ArrayList<>(events), new ArrayList<>(repliers), new ArrayList<>(stamps),
        new ArrayList<>(afterwards));
    events.clear();
    repliers.clear();
    stamps.clear();
    if (flushing) { // not reached by the actor (no command runs while a persist is in flight)
      flushingKeys.putAll(keys);
    } else {
      TreeMap<byte[], Boolean> held = flushingKeys;
      flushingKeys = keys;
      keys = held;
    }
    keys.clear();
    flushing = true;
    afterwards.clear();
    endingTxns.clear();
    return b;
  }

  /** The drained batch is durable: its latches go. */
  void flushed() {
    flushingKeys.clear();
    flushing = false;
  }

  /** Whether a drained batch's persist is in flight. */
  boolean flushing() {
    return flushing;
  }

  /**
   * Whether the Get or Scan {@code read} touches a key of the batch whose persist is in flight
   * (its value in the published state may not be durable yet).
   */
  boolean flushLatched(Command read) {
    if (!flushing) {
      return false;
    }
    if (read instanceof Get c) {
      return flushingKeys.containsKey(c.key());
    } else if (read instanceof Scan c) {
      return overlaps(flushingKeys, c.start(), c.end());
    }
    return true;
  }

  /** Whether {@code cmd} must wait for the queued writes: it reads a latched key or mutates. */
  boolean latched(Command cmd) {
    if (events.isEmpty()) {
      return false;
    }
    if (cmd instanceof Get c) {
      return keys.containsKey(c.key());
    } else if (cmd instanceof Scan c) {
      return overlaps(c.start(), c.end());
    } else if (cmd instanceof Refresh c) {
      for (Span sp : c.spans()) {
        if (overlaps(sp.start(), sp.end())) {
          return true;
        }
      }
      return false;
    } else if (cmd instanceof Write c) {
      if (endingTxns.contains(c.txn().id())) {
        return true;
      }
      for (WriteOp op : c.ops()) {
        if (keys.containsKey(op.key())) {
          return true;
        }
      }
      return false;
    } else if (cmd instanceof EndTxn c) {
      return endingTxns.contains(c.txn().id()) || anyLatched(c.localKeys());
    } else if (cmd instanceof ResolveIntents c) {
      return endingTxns.contains(c.txnId()) || anyLatched(c.keys());
    } else if (cmd instanceof RangeActor.ResolveIntentsBatch c) {
      for (RangeActor.Resolution res : c.resolutions()) {
        if (endingTxns.contains(res.txnId()) || anyLatched(res.keys())) {
          return true;
        }
      }
      return false;
    } else if (cmd instanceof GcTxnRecord c) {
      return endingTxns.contains(c.txnId());
    } else if (cmd instanceof GcTxnRecords c) {
      for (UUID id : c.txnIds()) {
        if (endingTxns.contains(id)) {
          return true;
        }
      }
      return false;
    } else {
      return !(cmd instanceof GetDirectory);
    }
  }

  private boolean anyLatched(List<byte[]> ks) {
    for (int i = 0; i < ks.size(); i++) {
      if (keys.containsKey(ks.get(i))) {
        return true;
      }
    }
    return false;
  }

  private boolean overlaps(byte[] start, byte[] end) {
    return overlaps(keys, start, end);
  }

  private static boolean overlaps(TreeMap<byte[], Boolean> keys, byte[] start, byte[] end) {
    byte[] k = keys.ceilingKey(start);
    return k != null && (end == null || Keys.compare(k, end) < 0);
  }
}
