package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay rule of {@link IncarnationFence}, on journals written as lists of (manifest, is-fence). */
class IncarnationFenceTest {
  record Entry(String manifest, boolean fence, String name) {}

  static Entry fence(long epoch, long incarnation) {
    return new Entry(IncarnationFence.manifest(epoch, incarnation), true, "fence" + epoch + "/" + incarnation);
  }

  static Entry write(long epoch, long incarnation, String name) {
    return new Entry(IncarnationFence.manifest(epoch, incarnation), false, name);
  }

  /** The names of the non-fence entries a replay applies. */
  static List<String> replay(IncarnationFence f, List<Entry> journal) {
    List<String> applied = new ArrayList<>();
    for (Entry e : journal) {
      if (f.admit(e.manifest(), e.fence()) && !e.fence()) {
        applied.add(e.name());
      }
    }
    return applied;
  }

  @Test
  void writesOfAStaleEpochAfterANewerFenceAreSkipped() {
    List<Entry> journal = List.of(fence(1, 0xa), write(1, 0xa, "a1"), fence(2, 0xb), write(1, 0xa, "a2-stale"),
        write(2, 0xb, "b1"), write(1, 0xa, "a3-stale"));
    assertThat(replay(new IncarnationFence(), journal)).containsExactly("a1", "b1");
  }

  @Test
  void replayIsDeterministicAndTheNextEpochIsAboveEverythingInTheJournalSkippedOrNot() {
    List<Entry> journal = List.of(fence(1, 0xa), fence(3, 0xc), write(2, 0xb, "stale"), write(3, 0xc, "c1"));
    IncarnationFence f1 = new IncarnationFence();
    IncarnationFence f2 = new IncarnationFence();
    assertThat(replay(f1, journal)).isEqualTo(replay(f2, journal)).containsExactly("c1");
    f1.start(0xd);
    assertThat(f1.epoch()).isEqualTo(4);
    assertThat(f1.manifest()).isEqualTo("f4.d");
  }

  @Test
  void twoIncarnationsThatTookTheSameEpochResolveByWhoseFenceCameFirst() {
    List<Entry> journal = List.of(fence(1, 0xa), fence(2, 0xb), fence(2, 0xc), write(2, 0xc, "c-loser"),
        write(2, 0xb, "b-winner"));
    assertThat(replay(new IncarnationFence(), journal)).containsExactly("b-winner");
  }

  @Test
  void aStaleFenceWrittenAfterANewerOneIsSkippedWithItsWrites() {
    List<Entry> journal = List.of(fence(3, 0xc), fence(2, 0xb), write(2, 0xb, "b"), write(3, 0xc, "c"));
    assertThat(replay(new IncarnationFence(), journal)).containsExactly("c");
  }

  @Test
  void journalsWrittenBeforeFencingReplayAsEpochZeroAndTheFirstIncarnationAfterThemFencesThem() {
    List<Entry> journal = List.of(new Entry("", false, "old1"), new Entry("", false, "old2"), fence(1, 0xa),
        new Entry("", false, "old-writer-after-the-fence"), write(1, 0xa, "a1"));
    assertThat(IncarnationFence.epochOf("")).isZero();
    assertThat(replay(new IncarnationFence(), journal)).containsExactly("old1", "old2", "a1");
  }

  @Test
  void aReplayFromASnapshotStartsUnderTheSnapshotsFence() {
    IncarnationFence f = new IncarnationFence();
    f.restore(5, 0xe);
    assertThat(replay(f, List.of(write(4, 0xd, "stale"), write(5, 0xe, "e1")))).containsExactly("e1");
    f.start(1);
    assertThat(f.epoch()).isEqualTo(6);
  }

  @Test
  void aWriteOfANewerEpochWhoseFenceWasDeletedWithOlderEventsIsTheNewestWriter() {
    List<Entry> journal = List.of(write(7, 0xf, "f1"), write(6, 0xe, "stale"), write(7, 0xf, "f2"));
    assertThat(replay(new IncarnationFence(), journal)).containsExactly("f1", "f2");
  }
}
