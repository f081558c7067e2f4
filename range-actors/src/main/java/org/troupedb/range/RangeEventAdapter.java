package org.troupedb.range;

import org.apache.pekko.persistence.typed.EventAdapter;
import org.apache.pekko.persistence.typed.EventSeq;
import org.troupedb.range.RangeActor.Event;

/**
 * Stamps every event a range persists with its incarnation's epoch (in the event manifest, so the
 * payload's format is unchanged) and, on replay, applies {@link IncarnationFence}'s rule: an event
 * the rule skips is replayed as {@link RangeActor.StaleEventSkipped}, which changes nothing (an
 * empty replacement would leave the recovered sequence number behind the journal's).
 */
final class RangeEventAdapter extends EventAdapter<Event, Event> {
  private final IncarnationFence fence;
  private long skipped;

  RangeEventAdapter(IncarnationFence fence) {
    this.fence = fence;
  }

  @Override
  public Event toJournal(Event e) {
    return e;
  }

  @Override
  public String manifest(Event event) {
    return fence.manifest();
  }

  @Override
  public EventSeq<Event> fromJournal(Event event, String manifest) {
    if (fence.admit(manifest, event instanceof RangeActor.IncarnationStarted)) {
      return EventSeq.single(event);
    }
    skipped++;
    return EventSeq.single(new RangeActor.StaleEventSkipped(IncarnationFence.epochOf(manifest)));
  }

  /** How many events the last replay skipped. */
  long skipped() {
    return skipped;
  }
}
