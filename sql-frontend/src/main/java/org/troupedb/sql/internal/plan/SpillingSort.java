package org.troupedb.sql.internal.plan;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.RowSizes;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/**
 * The run-time half of a {@link SpillingSortRel}: an external merge sort. Rows are held (and
 * charged to the statement's budget) until the next would pass half the budget; then the held
 * rows are sorted, written to a temporary file as one run, and their charge given back. At the
 * end the rows still held become the last run, and the runs are merged, one row of each held. A sort that fits never touches the disk.
 * The temporary files of a statement together may not pass {@link #TEMP_FILE_LIMIT}
 * (PostgreSQL's {@code temp_file_limit}: 53400); they are deleted when the sort's rows have been
 * read or the statement fails.
 *
 * <p>NB: public only because the plan's generated class calls {@link #sort}.
 */
public final class SpillingSort {
  /** The node's bound on one sort's temporary files ({@code -Dtroupedb.sql.temp-file-limit}, 1GB). */
  static final long TEMP_FILE_LIMIT = org.troupedb.sql.internal.errors.MemorySetting.bytesOr(
      System.getProperty("troupedb.sql.temp-file-limit"), 1L << 30);
  /** Rows written between resets of the object stream's back-reference table. */
  private static final int RESET_EVERY = 512;

  private final int id;

  SpillingSort(int id) {
    this.id = id;
  }

  /** {@code input} sorted by {@code comparator}; raw types, as the generated code is compiled without generics. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Enumerable sort(DataContext root, Enumerable input, Comparator comparator) {
    return new AbstractEnumerable<Object>() {
      @Override
      public Enumerator<Object> enumerator() {
        Object b = root.get(MemoryBudget.CONTEXT_VARIABLE);
        MemoryBudget budget = b instanceof MemoryBudget m ? m : MemoryBudget.unlimited();
        return run(budget.account(id, "Sort"), budget.limitBytes() / 2, input, comparator);
      }
    };
  }

  private static Enumerator<Object> run(MemoryBudget.Account account, long spillAt, Enumerable<Object> input,
      Comparator<Object> comparator) {
    List<Object> held = new ArrayList<>();
    List<Path> runs = new ArrayList<>();
    long written = 0;
    boolean done = false;
    try (Enumerator<Object> in = input.enumerator()) {
      while (in.moveNext()) {
        Object row = in.current();
        long size = RowSizes.of(row) + 40;
        if (account.bytes() + size > spillAt && !held.isEmpty()) {
          held.sort(comparator);
          Path run = Files.createTempFile("troupedb-sort-", ".run");
          runs.add(run);
          written += write(run, held, TEMP_FILE_LIMIT - written);
          held.clear();
          account.releaseAll();
        }
        account.charge(size);
        held.add(row);
      }
      held.sort(comparator);
      if (!runs.isEmpty()) {
        // the last run goes to disk too: the merge then holds one row per run, not half the budget
        Path run = Files.createTempFile("troupedb-sort-", ".run");
        runs.add(run);
        write(run, held, TEMP_FILE_LIMIT - written);
        held.clear();
        account.releaseAll();
      }
      done = true;
    } catch (IOException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.SYSTEM_ERROR,
          "could not write to temporary file: " + e.getMessage(), e));
    } finally {
      if (!done) {
        delete(runs);
      }
    }
    if (runs.isEmpty()) {
      return Linq4j.enumerator(held);
    }
    return merge(runs, held, comparator);
  }

  /** Writes {@code rows} to {@code file}; its size, at most {@code room} bytes (else 53400). */
  static long write(Path file, List<Object> rows, long room) throws IOException {
    try (var counting = new CountingOutputStream(Files.newOutputStream(file), room);
        ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(counting, 1 << 16))) {
      int n = 0;
      for (Object row : rows) {
        out.writeObject(row);
        if (++n % RESET_EVERY == 0) {
          out.reset();
        }
      }
      out.flush();
      return counting.count;
    } catch (NotSerializableException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.OUT_OF_MEMORY, "out of memory",
          "Sort needs more memory than the statement's memory limit allows, and its rows cannot be"
          + " written to a temporary file (" + e.getMessage() + ").", null, null));
    }
  }

  /** Counts what passes and refuses more than {@code room} bytes. */
  private static final class CountingOutputStream extends java.io.FilterOutputStream {
    private final long room;
    long count;

    CountingOutputStream(java.io.OutputStream out, long room) {
      super(out);
      this.room = room;
    }

    @Override
    public void write(int b) throws IOException {
      grow(1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      grow(len);
      out.write(b, off, len);
    }

    private void grow(long n) {
      count += n;
      if (count > room) {
        throw new SqlRuntimeException(new SqlException(SqlState.CONFIGURATION_LIMIT_EXCEEDED,
            "temporary file size exceeds temp_file_limit (" + (TEMP_FILE_LIMIT / 1024) + "kB)"));
      }
    }
  }

  private record Head(Object row, int run) {}

  /** A k-way merge of the sorted runs and the sorted rows still held; deletes the runs on close. */
  private static Enumerator<Object> merge(List<Path> runs, List<Object> held, Comparator<Object> comparator) {
    List<ObjectInputStream> readers = new ArrayList<>();
    try {
      for (Path run : runs) {
        readers.add(new ObjectInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16)));
      }
    } catch (IOException e) {
      close(readers);
      delete(runs);
      throw new UncheckedIOException(e);
    }
    var heldRows = held.iterator();
    PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> comparator.compare(a.row(), b.row()));
    for (int i = 0; i <= readers.size(); i++) {
      Object first = next(readers, heldRows, i);
      if (first != END) {
        heads.add(new Head(first, i));
      }
    }
    return new Enumerator<>() {
      private Object current;

      @Override
      public Object current() {
        return current;
      }

      @Override
      public boolean moveNext() {
        Head h = heads.poll();
        if (h == null) {
          return false;
        }
        current = h.row();
        Object following = next(readers, heldRows, h.run());
        if (following != END) {
          heads.add(new Head(following, h.run()));
        }
        return true;
      }

      @Override
      public void reset() {
        throw new UnsupportedOperationException("a spilled sort is read once");
      }

      @Override
      public void close() {
        SpillingSort.close(readers);
        delete(runs);
      }
    };
  }

  private static final Object END = new Object();

  /** The next row of run {@code i} (the held rows are the last run), or {@link #END}. */
  private static Object next(List<ObjectInputStream> readers, java.util.Iterator<Object> held, int i) {
    if (i == readers.size()) {
      return held.hasNext() ? held.next() : END;
    }
    try {
      return readers.get(i).readObject();
    } catch (EOFException e) {
      return END;
    } catch (IOException | ClassNotFoundException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.SYSTEM_ERROR,
          "could not read from temporary file: " + e.getMessage(), e));
    }
  }

  private static void close(List<ObjectInputStream> readers) {
    for (ObjectInputStream r : readers) {
      try {
        r.close();
      } catch (IOException ignored) {
        // a temporary file: deleted next
      }
    }
  }

  private static void delete(List<Path> runs) {
    for (Path p : runs) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort; the OS cleans its temporary directory
      }
    }
  }
}
