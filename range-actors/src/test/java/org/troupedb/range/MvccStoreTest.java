package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.troupedb.hlc.Timestamp;

/** Runs the data-driven MVCC cases in {@code src/test/resources/mvcc/*.txt} (format in each file). */
class MvccStoreTest {

  /** The store under test: the heap one here, a disk one in {@link DiskMvccStoreTest}. */
  MvccStore newStore(long gcTtlNanos) {
    return new MvccStore(gcTtlNanos);
  }


  private final Map<String, UUID> txnIds = new HashMap<>();
  private final MvccStore store = newStore(0);

  @ParameterizedTest
  @ValueSource(strings = {"basic.txt", "locks.txt", "savepoints.txt", "shared.txt", "uncertainty.txt"})
  void dataDriven(String file) throws IOException {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/mvcc/" + file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int lineNo = 0;
    int checked = 0;
    for (String raw : text.split("\n")) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("->");
      String[] a = parts[0].trim().split("\\s+");
      String actual = run(a);
      if (parts.length > 1) {
        assertThat(actual).as(file + ":" + lineNo + " " + line).isEqualTo(parts[1].trim());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(10);
  }

  @Test
  void splitOffMovesTheTailAndSnapshotRoundTrips() {
    TxnMeta t = meta("T", 5);
    store.putCommitted(b("a"), ts(1), b("1"));
    store.putCommitted(b("m"), ts(1), b("2"));
    store.putIntent(b("n"), t, b("3"));
    List<MvccStore.KeySnapshot> right = store.splitOff(b("m"));
    assertThat(right).extracting(k -> new String(k.key())).containsExactly("m", "n");
    assertThat(store.keyCount()).isEqualTo(1);
    assertThat(store.intentCount()).isZero();
    MvccStore other = newStore(0);
    other.importAll(right);
    assertThat(other.intentCount()).isEqualTo(1);
    assertThat(other.get(b("n"), ts(9), t.id()).value()).isEqualTo(b("3"));
    assertThat(other.get(b("m"), ts(9), id("U")).value()).isEqualTo(b("2"));
    // Point lookups (hashed) agree with the ordered map after the split: the tail is gone here.
    assertThat(store.get(b("m"), ts(9), id("U")).value()).isNull();
    assertThat(store.intentAt(b("n"))).isNull();
    assertThat(store.get(b("a"), ts(9), id("U")).value()).isEqualTo(b("1"));
    store.putCommitted(b("m"), ts(10), b("again"));
    assertThat(store.scan(b("a"), null, ts(10), id("U"), 0).rows()).extracting(kv -> new String(kv.key()))
        .containsExactly("a", "m");
  }

  @Test
  void abortedIntentOnANewKeyLeavesNoEntry() {
    TxnMeta t = meta("T", 5);
    store.putIntent(b("k"), t, b("v"));
    assertThat(store.resolveIntent(b("k"), t.id(), false, null)).isTrue();
    assertThat(store.keyCount()).isZero();
    assertThat(store.intentAt(b("k"))).isNull();
    store.putCommitted(b("k"), ts(7), b("w"));
    assertThat(store.get(b("k"), ts(7), id("U")).value()).isEqualTo(b("w"));
    assertThat(store.keyCount()).isEqualTo(1);
  }

  @Test
  void garbageCollectionKeepsWhatReadsInsideTheWindowNeed() {
    MvccStore gc = newStore(100);
    UUID reader = id("R");
    for (long t = 1000; t <= 1500; t += 50) {
      gc.putCommitted(b("k"), ts(t), b("v" + t));
    }
    // Window at 1500 is [1400, ...]: 1400 (visible at 1400..1449) and everything newer remain.
    assertThat(gc.get(b("k"), ts(1400), reader).value()).isEqualTo(b("v1400"));
    assertThat(gc.get(b("k"), ts(1425), reader).value()).isEqualTo(b("v1400"));
    assertThat(gc.get(b("k"), ts(1500), reader).value()).isEqualTo(b("v1500"));
    assertThat(gc.get(b("k"), ts(1350), reader).value()).isNull();
    assertThat(gc.exportFrom(null).get(0).versions()).hasSize(3);
    assertThat(store.exportFrom(null)).isEmpty();
  }

  /** A key written on every commit walks its chain once per 1/16 of the TTL, not on every write. */
  @Test
  void aHotKeyIsTrimmedAtTheFirstWriteOfEachStepOfTheWindow() {
    MvccStore gc = newStore(1600); // steps of 100
    UUID reader = id("R");
    for (long t = 1000; t <= 2990; t += 10) {
      gc.putCommitted(b("k"), ts(t), b("v" + t));
    }
    // Trimmed last at 2900 (window from 1300); 2910..2990 did not walk the chain.
    assertThat(gc.exportFrom(null).get(0).versions()).hasSize(170);
    assertThat(gc.get(b("k"), ts(1300), reader).value()).isEqualTo(b("v1300"));
    gc.putCommitted(b("k"), ts(3000), b("v3000")); // a new step: the window is from 1400 again
    assertThat(gc.exportFrom(null).get(0).versions()).hasSize(161);
    assertThat(gc.get(b("k"), ts(1400), reader).value()).isEqualTo(b("v1400"));
    assertThat(gc.get(b("k"), ts(1399), reader).value()).isNull();
  }

  private String run(String[] a) {
    switch (a[0]) {
      case "put" -> store.putCommitted(b(a[2]), ts(a[1]), val(a[3]));
      case "intent" -> store.putIntent(b(a[3]), meta(a[1], Long.parseLong(a[2])), val(a[4]));
      case "lock" -> store.putLock(b(a[3]), meta(a[1], Long.parseLong(a[2])));
      case "sintent" -> store.putIntent(b(a[5]), seqMeta(a), val(a[6]));
      case "slock" -> store.putLock(b(a[5]), seqMeta(a));
      case "shlock" -> store.putSharedLock(b(a[3]), meta(a[1], Long.parseLong(a[2])));
      case "sshlock" -> store.putSharedLock(b(a[5]), seqMeta(a));
      case "rollback" -> {
        return Boolean.toString(store.rollbackIntent(b(a[3]), id(a[1]), Integer.parseInt(a[2])));
      }
      case "uget" -> {
        MvccStore.GetResult r = store.get(b(a[4]), ts(a[2]), id(a[1]), false, ts(a[3]));
        return r.uncertain() != null ? "uncertain:" + r.uncertain().wallTime()
            : r.conflict() != null ? "conflict:" + name(r.conflict()) : r.value() == null ? "nil" : s(r.value());
      }
      case "uscan" -> {
        MvccStore.ScanResult r = store.scan(b(a[4]), b(a[5]), ts(a[2]), id(a[1]), 0, 0, false, ts(a[3]));
        if (r.uncertain() != null) {
          return "uncertain:" + r.uncertain().wallTime();
        }
        if (!r.conflicts().isEmpty()) {
          return "conflict:" + r.conflicts().stream().map(this::name).collect(Collectors.joining(","));
        }
        List<String> out = new ArrayList<>();
        r.rows().forEach(kv -> out.add(s(kv.key()) + "=" + s(kv.value())));
        return String.join(",", out);
      }
      case "intents" -> {
        return Integer.toString(store.intentCount());
      }
      case "commit" -> store.resolveIntent(b(a[3]), id(a[1]), true, ts(a[2]));
      case "abort" -> store.resolveIntent(b(a[2]), id(a[1]), false, null);
      case "get", "lget" -> {
        MvccStore.GetResult r = store.get(b(a[3]), ts(a[2]), id(a[1]), a[0].equals("lget"));
        return r.conflict() != null ? "conflict:" + name(r.conflict()) : r.value() == null ? "nil" : s(r.value());
      }
      case "scan", "lscan" -> {
        MvccStore.ScanResult r = store.scan(b(a[3]), b(a[4]), ts(a[2]), id(a[1]), Integer.parseInt(a[5]), 0,
            a[0].equals("lscan"));
        if (!r.conflicts().isEmpty()) {
          return r.conflicts().stream().map(this::name).collect(Collectors.joining(",", "conflict:", ""));
        }
        List<String> out = new ArrayList<>();
        r.rows().forEach(kv -> out.add(s(kv.key()) + "=" + s(kv.value())));
        return String.join(",", out);
      }
      case "check" -> {
        MvccStore.WriteCheck c = store.checkWrite(new WriteOp(WriteOp.Kind.valueOf(a[3]), b(a[4]), b("x")),
            id(a[1]), a.length > 5 ? ts(a[5]) : ts(a[2]), ts(a[2]), null);
        if (c.conflict() != null) {
          return "conflict:" + name(c.conflict());
        }
        return c.keyExists() ? (c.keyExistsSinceRead() ? "exists-since-read" : "exists") : c.minWriteTs() != null ? "push:" + c.minWriteTs().wallTime() : "ok";
      }
      case "changed" -> {
        return Boolean.toString(store.changedBetween(b(a[4]), b(a[5]), ts(a[2]), ts(a[3]), id(a[1])));
      }
      default -> throw new IllegalArgumentException("unknown op " + a[0]);
    }
    return "";
  }

  private String name(Intent in) {
    return txnIds.entrySet().stream().filter(e -> e.getValue().equals(in.txn().id())).findFirst().orElseThrow().getKey();
  }

  private UUID id(String name) {
    return txnIds.computeIfAbsent(name, n -> UUID.randomUUID());
  }

  private TxnMeta meta(String name, long ts) {
    return new TxnMeta(id(name), b("anchor"), ts(ts), ts(ts), 0, 0);
  }

  /** {@code <op> <txn> <ts> <seq> <savepointSeq> ...}. */
  private TxnMeta seqMeta(String[] a) {
    long t = Long.parseLong(a[2]);
    return new TxnMeta(id(a[1]), b("anchor"), ts(t), ts(t), 0, 0, Integer.parseInt(a[3]), Integer.parseInt(a[4]));
  }

  private static Timestamp ts(String wall) {
    return ts(Long.parseLong(wall));
  }

  private static Timestamp ts(long wall) {
    return new Timestamp(wall, 0);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] val(String s) {
    return s.equals("DEL") ? null : b(s);
  }

  private static String s(byte[] v) {
    return new String(v, StandardCharsets.UTF_8);
  }
}
