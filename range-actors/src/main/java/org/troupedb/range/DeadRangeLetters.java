package org.troupedb.range;

import java.lang.reflect.RecordComponent;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Answers requests that reached a stopped range actor (sent straight to it through
 * {@link LocalRanges} just before it stopped, e.g. when its shard moves) with a
 * {@link RangeActor.MismatchReply} carrying no descriptor: the router reloads its descriptors
 * and re-sends, now through Cluster Sharding. Without this the sender would wait for its ask
 * timeout. Such a request had no effect, so re-sending it is safe.
 */
final class DeadRangeLetters {

  private DeadRangeLetters() {}

  static Behavior<DeadLetter> create() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class, ctx.getSelf()));
      return Behaviors.receiveMessage(dead -> {
        if (dead.message() instanceof RangeActor.Command cmd) {
          // A range that died without its PostStop (a failed persist or recovery stops it) is still
          // listed as running here: forget it, so the re-sent request goes through sharding.
          LocalRanges.get(ctx.getSystem()).forgetDead(dead.recipient());
          ActorRef<RangeActor.Reply> replyTo = replyTo(cmd);
          if (replyTo != null) {
            replyTo.tell(new RangeActor.MismatchReply(null, null, null));
          }
        }
        return Behaviors.same();
      });
    });
  }

  /** The command's {@code replyTo} (by convention its last record component), or null. */
  @SuppressWarnings("unchecked")
  static ActorRef<RangeActor.Reply> replyTo(RangeActor.Command cmd) {
    RecordComponent[] parts = cmd.getClass().getRecordComponents();
    if (parts == null || parts.length == 0) {
      return null;
    }
    RecordComponent last = parts[parts.length - 1];
    if (!last.getName().equals("replyTo") || !ActorRef.class.isAssignableFrom(last.getType())) {
      return null;
    }
    try {
      return (ActorRef<RangeActor.Reply>) last.getAccessor().invoke(cmd);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
