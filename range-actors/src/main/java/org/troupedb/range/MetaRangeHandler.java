package org.troupedb.range;

import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.troupedb.range.RangeActor.AllocateRangeId;
import org.troupedb.range.RangeActor.BootstrapMeta;
import org.troupedb.range.RangeActor.DirectoryReply;
import org.troupedb.range.RangeActor.DirectoryUpdated;
import org.troupedb.range.RangeActor.Event;
import org.troupedb.range.RangeActor.GetDirectory;
import org.troupedb.range.RangeActor.MetaBootstrapped;
import org.troupedb.range.RangeActor.RangeIdAllocated;
import org.troupedb.range.RangeActor.RangeIdReply;
import org.troupedb.range.RangeActor.RangeInitialized;
import org.troupedb.range.RangeActor.UpdateDirectory;

/**
 * The meta range's own commands (DESIGN §3): the first layout of the key space, the range
 * directory every router caches, and range ids for splits. The meta range is otherwise an
 * ordinary range (range id {@link RangeDescriptor#META_RANGE_ID}); these commands sent to any
 * other range act on that range's (empty) directory. Confined to the actor's thread.
 */
final class MetaRangeHandler {
  private final RangeEnv env;

  MetaRangeHandler(RangeEnv env) {
    this.env = env;
  }

  /** Creates the meta range and the first data range on first start (idempotent). */
  ReplyEffect<Event, RangeState> onBootstrap(RangeState s, BootstrapMeta c) {
    if (s.desc != null) {
      return env.effect.reply(c.replyTo(), new DirectoryReply(s.directory(), env.clock.now()));
    }
    RangeDescriptor meta = new RangeDescriptor(RangeDescriptor.META_RANGE_ID, Keys.EMPTY, Keys.META_END, 0);
    RangeDescriptor data = new RangeDescriptor(RangeDescriptor.FIRST_DATA_RANGE_ID, Keys.META_END, null, 0);
    return env.effect.persist(List.of(new RangeInitialized(meta, List.of(), List.of()),
            new MetaBootstrapped(List.of(meta, data), RangeDescriptor.FIRST_DATA_RANGE_ID + 1)))
        .thenReply(c.replyTo(), st -> new DirectoryReply(st.directory(), env.clock.now()));
  }

  ReplyEffect<Event, RangeState> onGetDirectory(RangeState s, GetDirectory c) {
    return env.effect.reply(c.replyTo(), new DirectoryReply(s.directory(), env.clock.now()));
  }

  ReplyEffect<Event, RangeState> onAllocate(RangeState s, AllocateRangeId c) {
    long id = Math.max(s.nextRangeId, RangeDescriptor.FIRST_DATA_RANGE_ID + 1);
    return env.effect.persist(new RangeIdAllocated(id))
        .thenReply(c.replyTo(), st -> new RangeIdReply(id, env.clock.now()));
  }

  ReplyEffect<Event, RangeState> onUpdateDirectory(UpdateDirectory c) {
    return env.effect.persist(new DirectoryUpdated(c.descriptors())).thenReply(c.replyTo(), st -> env.ack());
  }
}
