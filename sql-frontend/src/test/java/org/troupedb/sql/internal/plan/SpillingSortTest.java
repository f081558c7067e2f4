package org.troupedb.sql.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.sql.internal.errors.SqlRuntimeException;

/** A spilled run's file is bounded: past the room left, PostgreSQL's temp_file_limit error (53400). */
class SpillingSortTest {
  @TempDir Path dir;

  @Test
  void aRunPastTheTempFileLimitFailsWith53400() throws Exception {
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(new Object[] {i, "row " + i});
    }
    Path fits = dir.resolve("fits.run");
    long size = SpillingSort.write(fits, rows, 1L << 20);
    assertThat(size).isEqualTo(Files.size(fits)).isGreaterThan(1000);
    SqlRuntimeException e = catchThrowableOfType(() -> SpillingSort.write(dir.resolve("big.run"), rows, size / 2),
        SqlRuntimeException.class);
    assertThat(e.sqlException().sqlState()).isEqualTo("53400");
    assertThat(e.sqlException().getMessage())
        .isEqualTo("temporary file size exceeds temp_file_limit (" + SpillingSort.TEMP_FILE_LIMIT / 1024 + "kB)");
  }
}
