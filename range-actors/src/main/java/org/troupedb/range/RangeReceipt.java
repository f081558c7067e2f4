package org.troupedb.range;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.troupedb.range.MvccStore.KeySnapshot;

/**
 * Where the new range of a split stands in receiving its data ({@link SplitTransfer}): the
 * transfer it is receiving, the next chunk it expects, whether the transfer was given up, and the
 * versions of a key whose chunk said they go on in the next one. Part of the range's
 * event-sourced state (and of its snapshots), changed only by {@link #apply}; null once the range
 * is complete (and before its first chunk).
 *
 * <p>A chunk numbered 0 starts a transfer afresh: whatever an earlier one left is dropped. So a
 * receiver that lost track (a transfer restarted from the beginning) never mixes two.
 */
public record RangeReceipt(long transferId, int nextSeq, boolean aborted, KeySnapshot pending)
    implements KvSerializable {

  /** The state after {@code e}, one of the transfer's events, is applied to {@code st}. */
  static void apply(RangeState st, RangeActor.Event e) {
    if (e instanceof RangeActor.ChunkReceived c) {
      RangeReceipt r = st.receipt;
      if (c.seq() == 0 || r == null || r.transferId() != c.transferId() || r.aborted()) {
        clear(st);
        r = new RangeReceipt(c.transferId(), 0, false, null);
      }
      KeySnapshot pending = r.pending();
      List<KeySnapshot> data = c.data();
      for (int i = 0; i < data.size(); i++) {
        KeySnapshot ks = data.get(i);
        if (pending != null) {
          if (Arrays.equals(pending.key(), ks.key())) {
            ks = merged(pending, ks);
          } else {
            st.store.importAll(List.of(pending));
          }
          pending = null;
        }
        if (i == data.size() - 1 && c.continues()) {
          pending = ks;
        } else {
          st.store.importAll(List.of(ks));
        }
      }
      for (TxnRecord rec : c.txnRecords()) {
        st.txnRecords.put(rec.meta().id(), rec);
      }
      st.receipt = new RangeReceipt(c.transferId(), c.seq() + 1, false, pending);
    } else if (e instanceof RangeActor.TransferCompleted t) {
      if (st.receipt != null && st.receipt.pending() != null) {
        st.store.importAll(List.of(st.receipt.pending()));
      }
      st.desc = t.desc();
      st.receipt = null;
    } else if (e instanceof RangeActor.TransferAborted a) {
      if (st.receipt == null || st.receipt.transferId() == a.transferId()) {
        clear(st);
        st.receipt = new RangeReceipt(a.transferId(), 0, true, null);
      }
    } else {
      throw new IllegalArgumentException("not a transfer event: " + e);
    }
  }

  /** Drops what an earlier transfer left (the range has no descriptor yet: it is all transfer data). */
  private static void clear(RangeState st) {
    if (st.store.size().keys() > 0) {
      st.store.splitOff(new byte[0]);
    }
    st.txnRecords.clear();
  }

  /** {@code head}'s key with its versions followed by {@code rest}'s (older ones, sent in the next chunk). */
  private static KeySnapshot merged(KeySnapshot head, KeySnapshot rest) {
    List<MvccStore.Version> vs = new ArrayList<>(head.versions().size() + rest.versions().size());
    vs.addAll(head.versions());
    vs.addAll(rest.versions());
    return new KeySnapshot(head.key(), vs, head.intent(), head.sharers());
  }
}
