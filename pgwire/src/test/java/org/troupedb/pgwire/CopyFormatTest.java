package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.CopyOptions;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

class CopyFormatTest {
  private static final List<ColumnInfo> COLS = List.of(ColumnInfo.of("a", PgType.INT4), ColumnInfo.of("b", PgType.TEXT));
  private static final CopyOptions TEXT = CopyOptions.defaults(CopyOptions.Format.TEXT);
  private static final CopyOptions CSV = CopyOptions.defaults(CopyOptions.Format.CSV);

  /** Decodes {@code input} fed in chunks of {@code chunk} bytes (every split point must work). */
  private static List<List<String>> decode(CopyOptions o, String input, int chunk) throws SqlException {
    CopyFormat.Decoder d = new CopyFormat.Decoder(o, "t", COLS);
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += chunk) {
      rows.addAll(d.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk))));
    }
    rows.addAll(d.finish());
    List<List<String>> out = new ArrayList<>();
    rows.forEach(r -> out.add(Arrays.asList(r)));
    return out;
  }

  private static void assertDecodes(CopyOptions o, String input, List<?>... expected) throws SqlException {
    for (int chunk : new int[] {1, 2, 3, 7, 1 << 20}) {
      assertThat(decode(o, input, chunk)).as("chunk " + chunk).isEqualTo(List.of(expected));
    }
  }

  @Test
  void textEscapesNullsAndEndMarker() throws Exception {
    assertDecodes(TEXT, "1\tpl\\tain\\\\x\\n\\101\\x41 ü\n\\N\t\\N\r\n3\t\\\\N\n\\.\nignored\tafter\n",
        List.of("1", "pl\tain\\x\nAA ü"), Arrays.asList(null, null), List.of("3", "\\N"));
    assertDecodes(TEXT, "7\tno newline at end", List.of("7", "no newline at end"));
  }

  @Test
  void csvQuotesDelimitersNewlinesAndNulls() throws Exception {
    assertDecodes(CSV, "1,\"a,b \"\"q\"\" \n second line\"\n2,\n3,\"\"\n",
        List.of("1", "a,b \"q\" \n second line"), Arrays.asList("2", null), List.of("3", ""));
    CopyOptions custom = new CopyOptions(CopyOptions.Format.CSV, ';', "NULL", true, '\'', '\\');
    assertDecodes(custom, "a;b\n1;'it\\'s;\\\\'\nNULL;'NULL'\n",
        List.of("1", "it's;\\"), Arrays.asList(null, "NULL"));
  }

  @Test
  void badRowsNameTheirLine() {
    assertError(TEXT, "1\ta\n2\n", "missing data for column \"b\"", "COPY t, line 2: \"2\"");
    assertError(TEXT, "1\ta\tz\n", "extra data after last expected column", "COPY t, line 1: \"1\ta\tz\"");
    assertError(CSV, "1,\"open\n", "unterminated CSV quoted field", "COPY t, line 1: \"1,\"open\n\"");
  }

  private static void assertError(CopyOptions o, String input, String message, String context) {
    assertThatThrownBy(() -> decode(o, input, 1 << 20)).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).isEqualTo(SqlState.BAD_COPY_FILE_FORMAT);
      assertThat(e.getMessage()).isEqualTo(message);
      assertThat(e.context()).isEqualTo(context);
    });
  }

  @Test
  void invalidUtf8Is22021() {
    CopyFormat.Decoder d = new CopyFormat.Decoder(TEXT, "t", COLS);
    assertThatThrownBy(() -> d.feed(new byte[] {'1', '\t', (byte) 0xC3, '\n'}))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("22021"));
  }

  @Test
  void encodesTextAndCsvLikePostgres() {
    List<ColumnInfo> cols = List.of(ColumnInfo.of("a", PgType.TEXT), ColumnInfo.of("n", PgType.NUMERIC),
        ColumnInfo.of("ts", PgType.TIMESTAMP), ColumnInfo.of("b", PgType.BYTEA));
    Object[] row = {"x\ty\\z\n\"q\",", new BigDecimal("1.50"), LocalDateTime.of(2024, 1, 2, 3, 4, 5), new byte[] {1}};
    assertThat(new String(CopyFormat.encodeRow(row, cols, TEXT, ZoneOffset.UTC), StandardCharsets.UTF_8))
        .isEqualTo("x\\ty\\\\z\\n\"q\",\t1.50\t2024-01-02 03:04:05\t\\\\x01\n");
    assertThat(new String(CopyFormat.encodeRow(row, cols, CSV, ZoneOffset.UTC), StandardCharsets.UTF_8))
        .isEqualTo("\"x\ty\\z\n\"\"q\"\",\",1.50,2024-01-02 03:04:05,\\x01\n");
    Object[] nulls = {null, "", null, null};
    assertThat(new String(CopyFormat.encodeRow(nulls, cols, TEXT, ZoneOffset.UTC), StandardCharsets.UTF_8))
        .isEqualTo("\\N\t\t\\N\t\\N\n");
    assertThat(new String(CopyFormat.encodeRow(nulls, cols, CSV, ZoneOffset.UTC), StandardCharsets.UTF_8))
        .isEqualTo(",\"\",,\n");
    assertThat(new String(CopyFormat.encodeHeader(cols, CSV), StandardCharsets.UTF_8)).isEqualTo("a,n,ts,b\n");
  }
}
