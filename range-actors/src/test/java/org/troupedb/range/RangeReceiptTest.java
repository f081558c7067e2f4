package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;
import org.troupedb.range.MvccStore.KeySnapshot;
import org.troupedb.range.MvccStore.Version;
import org.troupedb.range.RangeActor.ChunkReceived;
import org.troupedb.range.RangeActor.TransferAborted;
import org.troupedb.range.RangeActor.TransferCompleted;

/**
 * How a new range's transfer events build its state ({@link RangeReceipt}): a key cut across two
 * chunks is joined, also when a snapshot is taken between them; a chunk 0 starts afresh; an
 * aborted transfer leaves nothing.
 */
class RangeReceiptTest {
  static final RangeDescriptor DESC = new RangeDescriptor(9, k("m"), null, 0);
  static final Version V3 = new Version(new Timestamp(30, 0), k("3"));
  static final Version V2 = new Version(new Timestamp(20, 0), k("2"));
  static final Version V1 = new Version(new Timestamp(10, 0), k("1"));

  @Test
  void aKeyCutAcrossChunksIsJoinedAlsoAcrossASnapshotTakenBetweenThem() {
    RangeState st = new RangeState();
    st.apply(new ChunkReceived(5, 0, List.of(ks("m", V1), ks("n", V3, V2)), true, List.of()));
    assertThat(st.store().size().keys()).as("n waits for the rest of its versions").isEqualTo(1);

    RangeState restored = RangeState.fromSnapshot(st.toSnapshot());
    restored.apply(new ChunkReceived(5, 1, List.of(ks("n", V1), ks("o", V2)), false, List.of()));
    restored.apply(new TransferCompleted(5, DESC));

    assertThat(restored.descriptor()).isEqualTo(DESC);
    assertThat(restored.receipt).isNull();
    assertThat(restored.store().exportFrom(null)).extracting(s -> new String(s.key(), StandardCharsets.UTF_8))
        .containsExactly("m", "n", "o");
    KeySnapshot n = restored.store().exportFrom(k("n")).get(0);
    assertThat(n.versions()).extracting(Version::ts).containsExactly(V3.ts(), V2.ts(), V1.ts());
  }

  @Test
  void chunkZeroStartsAfreshAndAnAbortLeavesNothing() {
    RangeState st = new RangeState();
    TxnRecord rec = new TxnRecord(new TxnMeta(UUID.randomUUID(), k("p"), V1.ts(), V1.ts(), 1, 0), TxnStatus.PENDING,
        null, 0);
    st.apply(new ChunkReceived(5, 0, List.of(ks("m", V1)), false, List.of(rec)));
    st.apply(new ChunkReceived(6, 0, List.of(ks("x", V2)), false, List.of()));
    assertThat(st.store().exportFrom(null)).extracting(s -> new String(s.key(), StandardCharsets.UTF_8))
        .containsExactly("x");
    assertThat(st.txnRecord(rec.meta().id())).as("the earlier transfer's record is gone too").isNull();

    st.apply(new TransferAborted(6));
    assertThat(st.store().size().keys()).isZero();
    assertThat(st.receipt.aborted()).isTrue();
    assertThat(st.descriptor()).isNull();
  }

  private static KeySnapshot ks(String key, Version... versions) {
    return new KeySnapshot(k(key), List.of(versions), null, List.of());
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
