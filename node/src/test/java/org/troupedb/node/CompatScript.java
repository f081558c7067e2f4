package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.troupedb.testkit.Psql;
import org.troupedb.testkit.PsqlDiff;

/**
 * A compatibility script {@code src/test/resources/compat/NAME.sql} run with psql on PostgreSQL
 * and on TroupeDB (see that folder's README), test helper.
 */
final class CompatScript {
  private static final Path DIR = Path.of("src/test/resources/compat");

  private CompatScript() {}

  /**
   * Asserts that the transcript diff ({@code -} PostgreSQL, {@code +} TroupeDB) is exactly
   * {@code NAME.known-diff} (empty when that file is absent): a new difference fails, and so does
   * a fixed one still listed, so the file only shrinks. A differing diff is also written to
   * {@code target/NAME.actual-diff}.
   */
  static void assertOnlyKnownDiff(Psql postgres, Psql troupe, String name) throws IOException {
    String diff = PsqlDiff.compareScript(postgres, troupe, DIR.resolve(name + ".sql"));
    Path known = DIR.resolve(name + ".known-diff");
    String expected = Files.exists(known) ? Files.readString(known) : "";
    String actual = "target/" + name + ".actual-diff";
    if (!diff.equals(expected)) {
      Files.writeString(Path.of(actual), diff);
    }
    assertThat(diff).as("psql transcript diff of " + name + ".sql (- PostgreSQL, + TroupeDB); actual in " + actual)
        .isEqualTo(expected);
  }
}
