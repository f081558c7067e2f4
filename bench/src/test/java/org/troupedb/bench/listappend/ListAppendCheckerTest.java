package org.troupedb.bench.listappend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.troupedb.bench.listappend.Anomaly.Kind;

/**
 * Synthetic histories, each built to contain exactly one known anomaly, and valid ones that must
 * pass. Lines are events in real-time order (see {@link History}); a completion without an invoke
 * line was invoked right before it completed.
 */
class ListAppendCheckerTest {

  private static ListAppendChecker.Result check(String history) {
    return ListAppendChecker.check(History.parse(history));
  }

  private static List<Kind> kinds(ListAppendChecker.Result r) {
    return r.anomalies().stream().map(Anomaly::kind).toList();
  }

  @Test
  void validHistoryWithInfoFailAndOwnReadsPasses() {
    ListAppendChecker.Result r = check("""
        ok 1 append 1 1, r 1 [1]
        fail 2 append 1 99
        info 3 append 2 5, r 2 ?
        ok 4 r 1 [1], append 1 2, r 2 [5]
        ok 1 r 1 [1 2], r 2 [5]
        invoke 2 append 2 6
        invoke 5 r 2
        ok 5 r 2 [5]
        ok 2 append 2 6
        ok 6 r 1 [1 2], r 2 [5 6]
        """);
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.valid()).isTrue();
    // the info transaction's append was read, so it is a committed node of the graph
    assertThat(r.committedNodes()).isEqualTo(7);
    assertThat(r.edges()).isPositive();
    assertThat(r.report(5)).contains("no anomalies");
  }

  @Test
  void emptyHistoryPasses() {
    assertThat(check("# nothing happened\n").valid()).isTrue();
  }

  @Test
  void writeCycleIsG0() {
    ListAppendChecker.Result r = check("""
        ok 1 append 1 1, append 2 2
        ok 2 append 1 3, append 2 4
        ok 3 r 1 [1 3], r 2 [4 2]
        """);
    assertThat(kinds(r)).containsExactly(Kind.G0);
    assertThat(r.anomalies().get(0).txns()).containsExactlyInAnyOrder(0, 1);
    assertThat(r.anomalies().get(0).explanation()).contains("T1 appended 3 to key 1 right after T0's 1");
  }

  @Test
  void readOfAFailedAppendIsG1a() {
    ListAppendChecker.Result r = check("""
        fail 1 append 1 1
        ok 2 r 1 [1]
        """);
    assertThat(kinds(r)).containsExactly(Kind.G1A);
    assertThat(r.anomalies().get(0).txns()).containsExactly(1, 0);
  }

  @Test
  void readEndingInANonFinalAppendIsG1b() {
    ListAppendChecker.Result r = check("""
        invoke 1 append 1 1, append 1 2
        invoke 2 r 1
        ok 2 r 1 [1]
        ok 1 append 1 1, append 1 2
        ok 3 r 1 [1 2]
        """);
    assertThat(kinds(r)).containsExactly(Kind.G1B);
    assertThat(r.anomalies().get(0).txns()).containsExactly(0, 1);
  }

  @Test
  void eachReadingTheOthersAppendIsG1c() {
    ListAppendChecker.Result r = check("""
        invoke 1 append 1 1, r 2
        invoke 2 append 2 2, r 1
        ok 1 append 1 1, r 2 [2]
        ok 2 append 2 2, r 1 [1]
        """);
    assertThat(kinds(r)).containsExactly(Kind.G1C);
    assertThat(r.anomalies().get(0).explanation()).contains("(wr)").doesNotContain("(rw)");
  }

  @Test
  void readSkewIsGSingle() {
    ListAppendChecker.Result r = check("""
        invoke 1 r 1, r 2
        invoke 2 append 1 1, append 2 2
        ok 2 append 1 1, append 2 2
        ok 1 r 1 [], r 2 [2]
        ok 3 r 1 [1], r 2 [2]
        """);
    assertThat(kinds(r)).containsExactly(Kind.G_SINGLE);
    assertThat(r.anomalies().get(0).explanation())
        .contains("T1 read key 1 = [] and did not see 1, which T0 appended next (rw)")
        .contains("(wr)");
  }

  @Test
  void writeSkewIsG2() {
    ListAppendChecker.Result r = check("""
        invoke 1 r 1, append 2 1
        invoke 2 r 2, append 1 2
        ok 1 r 1 [], append 2 1
        ok 2 r 2 [], append 1 2
        ok 3 r 1 [2], r 2 [1]
        """);
    assertThat(kinds(r)).containsExactly(Kind.G2);
    assertThat(r.anomalies().get(0).txns()).containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void gSingleIsPreferredOverALongerG2InTheSameComponent() {
    // T0 -rw-> T1 -wr-> T0 is G-single; T0 and T2 also form a write skew in the same component.
    ListAppendChecker.Result r = check("""
        invoke 1 r 1, r 2, r 3, append 4 10
        invoke 2 append 1 1, append 2 2
        invoke 3 r 4, append 3 3
        ok 2 append 1 1, append 2 2
        ok 1 r 1 [], r 2 [2], r 3 [], append 4 10
        ok 3 r 4 [], append 3 3
        ok 4 r 1 [1], r 3 [3], r 4 [10]
        """);
    assertThat(kinds(r)).containsExactly(Kind.G_SINGLE);
  }

  @Test
  void acknowledgedAppendMissingFromALaterReadIsLost() {
    ListAppendChecker.Result r = check("""
        ok 1 append 1 1
        ok 2 append 1 2
        ok 3 r 1 [1]
        """);
    assertThat(kinds(r)).containsExactly(Kind.LOST_APPEND);
    assertThat(r.anomalies().get(0).txns()).containsExactly(1, 2);
  }

  @Test
  void appendMissingFromAConcurrentReadIsNotLost() {
    ListAppendChecker.Result r = check("""
        invoke 3 r 1
        ok 1 append 1 1
        ok 2 append 1 2
        ok 3 r 1 [1]
        ok 4 r 1 [1 2]
        """);
    assertThat(r.anomalies()).isEmpty();
  }

  @Test
  void readsThatAreNotPrefixesOfOneListAreAnIncompatibleOrder() {
    ListAppendChecker.Result r = check("""
        ok 1 append 1 1
        ok 2 append 1 2
        ok 3 r 1 [1 2]
        ok 4 r 1 [2 1]
        """);
    assertThat(kinds(r)).containsExactly(Kind.INCOMPATIBLE_ORDER);
    assertThat(r.anomalies().get(0).txns()).containsExactlyInAnyOrder(2, 3);
  }

  @Test
  void duplicateAndUnknownElementsAreReported() {
    ListAppendChecker.Result r = check("""
        ok 1 append 1 1
        ok 2 r 1 [1 1]
        ok 3 r 1 [1 77]
        """);
    assertThat(kinds(r)).containsExactlyInAnyOrder(Kind.INCOMPATIBLE_ORDER, Kind.UNKNOWN_VALUE);
  }

  @Test
  void anUnreadIndeterminateAppendIsNeitherLostNorANode() {
    ListAppendChecker.Result r = check("""
        info 1 append 1 1
        ok 2 r 1 []
        """);
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.committedNodes()).isEqualTo(1);
  }

  @Test
  void badLinesAreRefusedWithTheirNumber() {
    assertThatThrownBy(() -> History.parse("ok 1 append 1 1\nok x r 1 []"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    assertThatThrownBy(() -> History.parse("ok 1 write 1 1"))
        .hasMessageContaining("unknown micro-op write");
  }

  @Test
  void historyTextRoundTrips() {
    History h = History.parse("""
        invoke 1 append 1 1, r 2
        ok 1 append 1 1, r 2 [3 4]
        info 2 r 3 ?
        """);
    assertThat(h.txns()).hasSize(2);
    Txn t = h.txn(0);
    assertThat(History.eventLine("ok", t.process(), t.ops())).isEqualTo("ok 1 append 1 1, r 2 [3 4]");
    assertThat(t.invokeIndex()).isEqualTo(0);
    assertThat(t.completeIndex()).isEqualTo(1);
    assertThat(h.txn(1).describe()).isEqualTo("T1 (p2, info): r 3 ?");
  }
}
