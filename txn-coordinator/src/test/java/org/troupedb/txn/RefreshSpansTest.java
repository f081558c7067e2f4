package org.troupedb.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.troupedb.range.RangeActor;
import org.troupedb.range.RangeDescriptor;

class RefreshSpansTest {
  private static byte[] k(int b) {
    return new byte[] {(byte) b};
  }

  @Test
  void spansAreCutAtRangeBoundaries() {
    List<RangeDescriptor> ranges = List.of(new RangeDescriptor(2, k(0), k(10), 0),
        new RangeDescriptor(3, k(10), k(20), 0), new RangeDescriptor(4, k(20), null, 0));
    List<RangeActor.Span> cut = CoordinatedTxn.cutAtRanges(
        List.of(new RangeActor.Span(k(5), k(25)), new RangeActor.Span(k(11), k(12))), ranges);
    assertThat(cut).extracting(s -> s.start()[0] + "-" + s.end()[0])
        .containsExactly("5-10", "10-20", "20-25", "11-12");
  }
}
