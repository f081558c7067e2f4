package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.troupedb.sql.Interval;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;

class PgFormatsTest {

  @ParameterizedTest
  @CsvSource({"1.5,1.5", "1.0,1", "0.1,0.1", "1e20,1e+20", "1e-5,1e-05", "0.0001,0.0001",
      "123456789012345,123456789012345", "1e15,1e+15", "-2.5e-300,-2.5e-300", "2.82879384806159E17,2.82879384806159e+17",
      "1.7976931348623157E308,1.7976931348623157e+308", "4.9E-324,5e-324"})
  void float8TextIsShortestRoundTrip(double d, String expected) {
    assertThat(PgTextFormat.formatDouble(d)).isEqualTo(expected);
  }

  @Test
  void float8Specials() {
    assertThat(PgTextFormat.formatDouble(Double.NaN)).isEqualTo("NaN");
    assertThat(PgTextFormat.formatDouble(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    assertThat(PgTextFormat.formatDouble(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    assertThat(PgTextFormat.formatDouble(-0.0)).isEqualTo("-0");
    assertThat(PgTextFormat.formatFloat(1.1f)).isEqualTo("1.1");
    assertThat(PgTextFormat.formatFloat(1e6f)).isEqualTo("1e+06");
    assertThat(PgTextFormat.formatFloat(123456f)).isEqualTo("123456");
    assertThat(PgTextFormat.formatFloat(Float.NaN)).isEqualTo("NaN");
  }

  @Test
  void dateTimeText() {
    ZoneId utc = ZoneOffset.UTC;
    assertThat(PgTextFormat.encode(PgType.TIMESTAMPTZ,
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC), utc))
        .isEqualTo("2024-01-02 03:04:05.123456+00");
    assertThat(PgTextFormat.encode(PgType.TIMESTAMPTZ,
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), ZoneId.of("Asia/Kolkata")))
        .isEqualTo("2024-01-02 08:34:05+05:30");
    assertThat(PgTextFormat.encode(PgType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000), utc))
        .isEqualTo("2024-01-02 03:04:05.5");
    assertThat(PgTextFormat.encode(PgType.DATE, LocalDate.of(0, 3, 1), utc)).isEqualTo("0001-03-01 BC");
    assertThat(PgTextFormat.encode(PgType.DATE, LocalDate.MAX, utc)).isEqualTo("infinity");
  }

  @Test
  void intervalText() {
    assertThat(PgTextFormat.formatInterval(new Interval(14, 3, 4 * 3_600_000_000L + 5_500_000L)))
        .isEqualTo("1 year 2 mons 3 days 04:00:05.5");
    assertThat(PgTextFormat.formatInterval(new Interval(0, -1, 7_200_000_000L))).isEqualTo("-1 days +02:00:00");
    assertThat(PgTextFormat.formatInterval(new Interval(0, 0, 0))).isEqualTo("00:00:00");
    assertThat(PgTextFormat.formatInterval(new Interval(0, 1, -60_000_000L))).isEqualTo("1 day -00:01:00");
    assertThat(PgTextFormat.parseInterval("1 year 2 mons 3 days 04:00:05.5"))
        .isEqualTo(new Interval(14, 3, 4 * 3_600_000_000L + 5_500_000L));
    assertThat(PgTextFormat.parseInterval("0 years 0 mons 1 days 2 hours 3 mins 4.5 secs"))
        .isEqualTo(new Interval(0, 1, 7_384_500_000L));
    assertThat(PgTextFormat.parseInterval("@ 1 day ago")).isEqualTo(new Interval(0, -1, 0));
  }

  @Test
  void textParameters() throws SqlException {
    ZoneId utc = ZoneOffset.UTC;
    assertThat(PgTextFormat.decode(PgType.INT4, " 42 ", utc)).isEqualTo(42);
    assertThat(PgTextFormat.decode(PgType.INT2, "-7", utc)).isEqualTo((short) -7);
    assertThat(PgTextFormat.decode(PgType.BOOL, "yes", utc)).isEqualTo(true);
    assertThat(PgTextFormat.decode(PgType.FLOAT8, "-Infinity", utc)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PgTextFormat.decode(PgType.NUMERIC, "1.50", utc)).isEqualTo(new BigDecimal("1.50"));
    assertThat((byte[]) PgTextFormat.decode(PgType.BYTEA, "\\x00ff", utc)).containsExactly(0, 0xFF);
    assertThat((byte[]) PgTextFormat.decode(PgType.BYTEA, "a\\\\b\\001", utc)).containsExactly('a', '\\', 'b', 1);
    assertThat(PgTextFormat.decode(PgType.TIMESTAMPTZ, "2024-01-02 03:04:05.5+01", utc))
        .isEqualTo(OffsetDateTime.of(2024, 1, 2, 2, 4, 5, 500_000_000, ZoneOffset.UTC));
    assertThat(PgTextFormat.decode(PgType.TIMESTAMPTZ, "2024-01-02 03:04:05", ZoneId.of("Europe/Berlin")))
        .isEqualTo(OffsetDateTime.of(2024, 1, 2, 2, 4, 5, 0, ZoneOffset.UTC));
    assertThat(PgTextFormat.decode(PgType.TIMESTAMP, "2024-01-02T03:04", utc))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4));
    assertThat(PgTextFormat.decode(PgType.DATE, "2024-02-29", utc)).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(PgTextFormat.decode(PgType.OID, "4000000000", utc)).isEqualTo(4_000_000_000L);
  }

  @Test
  void invalidTextParameters() {
    assertThatThrownBy(() -> PgTextFormat.decode(PgType.INT4, "12x", ZoneOffset.UTC))
        .isInstanceOf(SqlException.class).extracting(e -> ((SqlException) e).sqlState()).isEqualTo("22P02");
    assertThatThrownBy(() -> PgTextFormat.decode(PgType.INT4, "3000000000", ZoneOffset.UTC))
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("22003");
    assertThatThrownBy(() -> PgTextFormat.decode(PgType.FLOAT8, "1d", ZoneOffset.UTC))
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("22P02");
    assertThatThrownBy(() -> PgTextFormat.decode(PgType.DATE, "2024-13-01", ZoneOffset.UTC))
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("22P02");
    assertThatThrownBy(() -> PgTextFormat.decode(PgType.BYTEA, "\\x0", ZoneOffset.UTC))
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("22P02");
    assertThatThrownBy(() -> PgTextFormat.decode(PgType.BOOL, "maybe", ZoneOffset.UTC))
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("22P02");
  }

  @Test
  void numericBinaryLayout() throws SqlException {
    ByteBuf b = Unpooled.buffer();
    PgBinaryFormat.encodeNumeric(new BigDecimal("12345.678"), b);
    // ndigits 3, weight 1, sign +, dscale 3, digits 1 2345 6780
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0003" + "0001" + "0000" + "0003" + "0001" + "0929" + "1a7c");
    b.clear();
    PgBinaryFormat.encodeNumeric(new BigDecimal("-0.0001"), b);
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0001" + "ffff" + "4000" + "0004" + "0001");
    b.clear();
    PgBinaryFormat.encodeNumeric(new BigDecimal("0.00"), b);
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0000" + "0000" + "0000" + "0002");
    b.clear();
    PgBinaryFormat.encodeNumeric(new BigDecimal("1E+9"), b);
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0001" + "0002" + "0000" + "0000" + "000a");
  }

  @ParameterizedTest
  @CsvSource({"0", "1", "-1", "12345.678", "0.0001", "-99999999999999999999.000000001", "1E+9", "10000", "0.10"})
  void binaryRoundTrips(String n) throws SqlException {
    BigDecimal v = new BigDecimal(n);
    ByteBuf b = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.NUMERIC, v, b);
    BigDecimal back = (BigDecimal) PgBinaryFormat.decode(PgType.NUMERIC, b);
    assertThat(back).isEqualByComparingTo(v);
    assertThat(back.scale()).isEqualTo(Math.max(v.scale(), 0));
  }

  @Test
  void dateTimeBinary() throws SqlException {
    ByteBuf b = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.DATE, LocalDate.of(2000, 1, 2), b);
    assertThat(b.getInt(0)).isEqualTo(1);
    b.clear();
    LocalDateTime t = LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000);
    PgBinaryFormat.encode(PgType.TIMESTAMP, t, b);
    assertThat(b.getLong(0)).isEqualTo(-1);
    assertThat(PgBinaryFormat.decode(PgType.TIMESTAMP, b)).isEqualTo(t);
    b.clear();
    OffsetDateTime tz = OffsetDateTime.of(2000, 1, 1, 1, 0, 0, 0, ZoneOffset.ofHours(1));
    PgBinaryFormat.encode(PgType.TIMESTAMPTZ, tz, b);
    assertThat(b.getLong(0)).isZero();
    b.clear();
    PgBinaryFormat.encode(PgType.INTERVAL, new Interval(1, 2, 3), b);
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("0000000000000003" + "00000002" + "00000001");
    assertThat(PgBinaryFormat.decode(PgType.INTERVAL, b)).isEqualTo(new Interval(1, 2, 3));
  }

  @Test
  void uuidIsSixteenBytesAndLowerCaseText() throws SqlException {
    java.util.UUID u = java.util.UUID.fromString("f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    ByteBuf b = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.UUID, u, b);
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("f0eebc999c0b4ef8bb6d6bb9bd380a11");
    assertThat(PgBinaryFormat.decode(PgType.UUID, b)).isEqualTo(u);
    assertThatThrownBy(() -> PgBinaryFormat.decode(PgType.UUID, Unpooled.wrappedBuffer(new byte[15])))
        .isInstanceOf(SqlException.class).hasMessageContaining("bind parameter of type uuid");
    assertThat(PgTextFormat.encode(PgType.UUID, u, ZoneOffset.UTC)).isEqualTo("f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(PgType.ofOid(2950)).isEqualTo(PgType.UUID);
  }

  @Test
  void timeIsMicrosecondsSinceMidnight() throws SqlException {
    java.time.LocalTime t = java.time.LocalTime.of(4, 5, 6, 500_000_000);
    ByteBuf b = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.TIME, t, b);
    assertThat(b.getLong(0)).isEqualTo(14_706_500_000L);
    assertThat(PgBinaryFormat.decode(PgType.TIME, b)).isEqualTo(t);
    assertThat(PgTextFormat.encode(PgType.TIME, t, ZoneOffset.UTC)).isEqualTo("04:05:06.5");
    assertThat(PgTextFormat.encode(PgType.TIME, java.time.LocalTime.of(23, 0), ZoneOffset.UTC)).isEqualTo("23:00:00");
    assertThat(PgTextFormat.encode(PgType.TIME, java.time.LocalTime.of(0, 0, 0, 1000), ZoneOffset.UTC))
        .isEqualTo("00:00:00.000001");
    assertThat(PgType.ofOid(1083)).isEqualTo(PgType.TIME);
  }

  @Test
  void jsonbBinaryIsVersionOneAndTheText() throws SqlException {
    ByteBuf b = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.JSONB, "{\"a\": 1}", b);
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("01" + ByteBufUtil.hexDump("{\"a\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(PgBinaryFormat.decode(PgType.JSONB, b)).isEqualTo("{\"a\": 1}");
    assertThatThrownBy(() -> PgBinaryFormat.decode(PgType.JSONB, Unpooled.wrappedBuffer(new byte[] {2, '1'})))
        .isInstanceOf(SqlException.class).hasMessageContaining("unsupported jsonb version number");
    ByteBuf j = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.JSON, "[1,  2]", j);
    assertThat(PgBinaryFormat.decode(PgType.JSON, j)).isEqualTo("[1,  2]");
    assertThat(PgType.ofOid(3802)).isEqualTo(PgType.JSONB);
    assertThat(PgType.ofOid(114)).isEqualTo(PgType.JSON);
  }

  @Test
  void everyTypeRoundTripsThroughBinary() throws SqlException {
    Object[] values = FakeSqlEngine.TYPES_ROW;
    for (int i = 0; i < values.length; i++) {
      PgType type = FakeSqlEngine.TYPES_COLUMNS.get(i).type();
      ByteBuf b = Unpooled.buffer();
      PgBinaryFormat.encode(type, values[i], b);
      Object back = PgBinaryFormat.decode(type, b);
      if (values[i] instanceof byte[] bytes) {
        assertThat((byte[]) back).as(type.typname()).containsExactly(bytes);
      } else {
        assertThat(back).as(type.typname()).isEqualTo(values[i]);
      }
    }
  }

  @Test
  void everyTypeRoundTripsThroughText() throws SqlException {
    Object[] values = FakeSqlEngine.TYPES_ROW;
    for (int i = 0; i < values.length; i++) {
      PgType type = FakeSqlEngine.TYPES_COLUMNS.get(i).type();
      String text = PgTextFormat.encode(type, values[i], ZoneOffset.UTC);
      Object back = PgTextFormat.decode(type, text, ZoneOffset.UTC);
      if (values[i] instanceof byte[] bytes) {
        assertThat((byte[]) back).as(type.typname()).containsExactly(bytes);
      } else {
        assertThat(back).as(type.typname()).isEqualTo(values[i]);
      }
    }
  }

  @Test
  void badBinaryLengthIs22P03() {
    assertThatThrownBy(() -> PgBinaryFormat.decode(PgType.INT4, Unpooled.wrappedBuffer(new byte[3])))
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("22P03");
    assertThatThrownBy(() -> PgBinaryFormat.decode(PgType.TEXT, Unpooled.wrappedBuffer(new byte[] {(byte) 0xC3})))
        .extracting(e -> ((SqlException) e).sqlState()).isEqualTo("22P03");
  }

  /** Arrays: text as array_out writes it (quoting, NULL), binary as array_send lays it out. */
  @Test
  void arrayTextAndBinaryForms() throws SqlException {
    java.util.List<Object> ints = java.util.Arrays.asList(1, null, 3);
    assertThat(PgTextFormat.encode(PgType.INT4_ARRAY, ints, ZoneOffset.UTC)).isEqualTo("{1,NULL,3}");
    assertThat(PgTextFormat.encode(PgType.TEXT_ARRAY, java.util.Arrays.asList("a b", "NULL", "q\"", "", null, "x"),
        ZoneOffset.UTC)).isEqualTo("{\"a b\",\"NULL\",\"q\\\"\",\"\",NULL,x}");
    assertThat(PgTextFormat.encode(PgType.BOOL_ARRAY, java.util.List.of(true, false), ZoneOffset.UTC))
        .isEqualTo("{t,f}");
    assertThat(PgTextFormat.encode(PgType.TIMESTAMP_ARRAY, java.util.List.of(LocalDateTime.of(2024, 1, 2, 3, 4, 5)),
        ZoneOffset.UTC)).isEqualTo("{\"2024-01-02 03:04:05\"}");
    assertThat(PgTextFormat.decode(PgType.INT4_ARRAY, "{1, NULL ,3}", ZoneOffset.UTC)).isEqualTo(ints);
    assertThatThrownBy(() -> PgTextFormat.decode(PgType.INT4_ARRAY, "{1,x}", ZoneOffset.UTC))
        .isInstanceOf(SqlException.class).hasMessageContaining("invalid input syntax for type")
        .satisfies(e -> assertThat(((SqlException) e).sqlState()).isEqualTo("22P02"));

    ByteBuf b = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.INT4_ARRAY, ints, b);
    // ndim 1, has-nulls 1, int4 (23), length 3, lower bound 1, then 4|1, -1, 4|3
    assertThat(ByteBufUtil.hexDump(b)).isEqualTo("00000001" + "00000001" + "00000017" + "00000003" + "00000001"
        + "00000004" + "00000001" + "ffffffff" + "00000004" + "00000003");
    assertThat(PgBinaryFormat.decode(PgType.INT4_ARRAY, b)).isEqualTo(ints);
    ByteBuf empty = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.TEXT_ARRAY, java.util.List.of(), empty);
    assertThat(ByteBufUtil.hexDump(empty)).isEqualTo("00000000" + "00000000" + "00000019");
    assertThat(PgBinaryFormat.decode(PgType.TEXT_ARRAY, empty)).isEqualTo(java.util.List.of());
    ByteBuf wrongElement = Unpooled.buffer();
    PgBinaryFormat.encode(PgType.INT8_ARRAY, java.util.List.of(1L), wrongElement);
    assertThatThrownBy(() -> PgBinaryFormat.decode(PgType.INT4_ARRAY, wrongElement)).isInstanceOf(SqlException.class)
        .hasMessageContaining("binary data has array element type 20 (int8) instead of expected 23 (int4)");
  }
}
