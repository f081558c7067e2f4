package org.troupedb.range.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit: writes queued while a store write is in flight go into the next one, none is
 * completed before its batch is written, a failed batch fails only its own writes, and what was
 * completed is in the store after it is reopened.
 */
class GroupCommitWriterTest {

  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesQueuedDuringAStoreWriteShareTheNextOne() throws Exception {
    JournalStats stats = new JournalStats();
    JournalDb db = JournalDb.acquire(dir, true, 4096, stats);
    List<CompletableFuture<Void>> queued = new ArrayList<>();
    try {
      CountDownLatch inFirst = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> first = db.write(batch -> {
        inFirst.countDown();
        release.await(30, TimeUnit.SECONDS); // the writer thread is busy with this batch
        batch.put(b("first"), b("1"));
      }, 1);
      assertThat(inFirst.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 100; i++) { // as if from 100 ranges
        String k = "k" + i;
        queued.add(db.write(batch -> batch.put(b(k), b("v")), 1));
      }
      Thread.sleep(50);
      assertThat(first).isNotDone();
      assertThat(queued).noneMatch(CompletableFuture::isDone); // nothing acknowledged before it is written
      release.countDown();
      CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(first).isDone();
      assertThat(stats.batches()).isEqualTo(2); // the blocked one, then all 100 together
      assertThat(stats.writes()).isEqualTo(101);
      assertThat(stats.events()).isEqualTo(101);
    } finally {
      db.release();
    }
    JournalDb reopened = JournalDb.acquire(dir, true, 4096, new JournalStats());
    try {
      assertThat(reopened.db.get(b("first"))).isEqualTo(b("1"));
      for (int i = 0; i < 100; i++) {
        assertThat(reopened.db.get(b("k" + i))).as("k" + i).isEqualTo(b("v"));
      }
    } finally {
      reopened.release();
    }
  }

  @Test
  void aFailedBatchFailsItsWritesAndTheNextBatchGoesOn() throws Exception {
    JournalStats stats = new JournalStats();
    JournalDb db = JournalDb.acquire(dir, true, 4096, stats);
    try {
      CountDownLatch inFirst = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> blocker = db.write(batch -> {
        inFirst.countDown();
        release.await(30, TimeUnit.SECONDS);
      }, 0);
      assertThat(inFirst.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> bad = db.write(batch -> {
        throw new IllegalStateException("cannot encode");
      }, 1);
      CompletableFuture<Void> sameBatch = db.write(batch -> batch.put(b("lost"), b("x")), 1);
      release.countDown();
      assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasMessageContaining("cannot encode");
      assertThatThrownBy(() -> sameBatch.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
      assertThat(db.db.get(b("lost"))).isNull(); // a failed batch writes nothing of itself
      db.write(batch -> batch.put(b("after"), b("y")), 1).get(30, TimeUnit.SECONDS);
      assertThat(db.db.get(b("after"))).isEqualTo(b("y"));
      blocker.get(30, TimeUnit.SECONDS);
    } finally {
      db.release();
    }
  }

  @Test
  void aStoreOfAnotherFormatIsRefused() throws Exception {
    JournalDb db = JournalDb.acquire(dir, true, 4096, new JournalStats());
    try {
      db.db.put(JournalKeys.FORMAT, JournalKeys.longBytes(JournalDb.FORMAT_VERSION + 1));
    } finally {
      db.release();
    }
    assertThatThrownBy(() -> JournalDb.acquire(dir, true, 4096, new JournalStats()))
        .hasMessageContaining("has format 2").hasMessageContaining("reads format 1");
  }
}
