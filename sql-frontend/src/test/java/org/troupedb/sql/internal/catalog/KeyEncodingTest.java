package org.troupedb.sql.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.calcite.avatica.util.ByteString;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.types.ColumnType;

class KeyEncodingTest {
  private final Random rnd = new Random(42);

  private static byte[] enc(ColumnType t, Object v, boolean desc) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    KeyEncoding.encode(out, t, v, desc);
    return out.toByteArray();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void checkOrder(ColumnType t, Supplier<Object> gen, Comparator<Object> cmp) {
    List<Object> vals = new ArrayList<>();
    vals.add(null);
    for (int i = 0; i < 400; i++) {
      vals.add(gen.get());
    }
    Comparator<Object> nullsFirst = Comparator.nullsFirst(cmp);
    for (boolean desc : new boolean[] {false, true}) {
      for (int i = 0; i < vals.size(); i++) {
        Object a = vals.get(i);
        byte[] ea = enc(t, a, desc);
        // round trip
        Object back = new KeyEncoding.Reader(ea, 0).read(t, desc);
        assertThat(back == null ? 0 : nullsFirst.compare(back, a)).as("round trip %s", a).isZero();
        for (int j = 0; j < 30; j++) {
          Object b = vals.get(rnd.nextInt(vals.size()));
          int expected = Integer.signum(nullsFirst.compare(a, b));
          if (desc) {
            expected = -expected;
          }
          int actual = Integer.signum(Arrays.compareUnsigned(ea, enc(t, b, desc)));
          assertThat(actual).as("%s vs %s (desc=%s)", a, b, desc).isEqualTo(expected);
        }
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Comparator<Object> natural() {
    return (a, b) -> ((Comparable) a).compareTo(b);
  }

  @Test
  void integersKeepOrder() {
    checkOrder(ColumnType.of(PgType.INT8), () -> rnd.nextBoolean() ? rnd.nextLong() : (long) rnd.nextInt(100) - 50,
        natural());
    checkOrder(ColumnType.of(PgType.INT4), () -> rnd.nextInt(), natural());
    checkOrder(ColumnType.of(PgType.INT2), () -> (short) rnd.nextInt(), natural());
  }

  @Test
  void floatsKeepOrder() {
    checkOrder(ColumnType.of(PgType.FLOAT8), () -> switch (rnd.nextInt(4)) {
      case 0 -> rnd.nextGaussian() * 1e-5;
      case 1 -> Double.longBitsToDouble(rnd.nextLong() & ~(0x7FFL << 52) | ((long) rnd.nextInt(0x7FE) << 52));
      case 2 -> (double) rnd.nextInt(10) - 5;
      default -> rnd.nextGaussian() * 1e9;
    }, natural());
  }

  @Test
  void numericsKeepOrder() {
    checkOrder(ColumnType.of(PgType.NUMERIC), () -> switch (rnd.nextInt(3)) {
      case 0 -> new BigDecimal(rnd.nextInt(2000) - 1000).movePointLeft(rnd.nextInt(5));
      case 1 -> new BigDecimal(new java.math.BigInteger(80, rnd)).movePointLeft(rnd.nextInt(40)).multiply(
          BigDecimal.valueOf(rnd.nextBoolean() ? 1 : -1));
      default -> BigDecimal.valueOf(rnd.nextInt(3) - 1).setScale(rnd.nextInt(3));
    }, natural());
  }

  @Test
  void stringsAndBytesKeepOrder() {
    Supplier<String> s = () -> {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(6);
      for (int i = 0; i < n; i++) {
        sb.append((char) (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 'a' + rnd.nextInt(3)));
      }
      return sb.toString();
    };
    checkOrder(ColumnType.of(PgType.TEXT), s::get, natural());
    checkOrder(ColumnType.of(PgType.BYTEA), () -> {
      byte[] b = new byte[rnd.nextInt(5)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (rnd.nextInt(3) - 1);
      }
      return new ByteString(b);
    }, natural());
  }

  @Test
  void datesTimestampsAndBoolsKeepOrder() {
    checkOrder(ColumnType.of(PgType.DATE), () -> rnd.nextInt(200_000) - 100_000, natural());
    checkOrder(ColumnType.of(PgType.TIMESTAMP), () -> rnd.nextLong() >> 8, natural());
    checkOrder(ColumnType.of(PgType.BOOL), rnd::nextBoolean, natural());
  }

  @Test
  void compositeKeysOrderByFirstColumnThenSecond() {
    ColumnType i = ColumnType.of(PgType.INT4);
    ColumnType t = ColumnType.of(PgType.TEXT);
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    KeyEncoding.encode(a, t, "ab", false);
    KeyEncoding.encode(a, i, 9, false);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    KeyEncoding.encode(b, t, "ab\u0000", false);
    KeyEncoding.encode(b, i, 1, false);
    assertThat(Arrays.compareUnsigned(a.toByteArray(), b.toByteArray())).isNegative();
  }

  @Test
  void idsKeepOrderAndPrefixEndIsAboveAllKeysWithPrefix() {
    for (int k = 0; k < 1000; k++) {
      long x = rnd.nextLong() & Long.MAX_VALUE >> rnd.nextInt(63);
      long y = rnd.nextLong() & Long.MAX_VALUE >> rnd.nextInt(63);
      ByteArrayOutputStream a = new ByteArrayOutputStream();
      KeyEncoding.writeId(a, x);
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      KeyEncoding.writeId(b, y);
      assertThat(Integer.signum(Arrays.compareUnsigned(a.toByteArray(), b.toByteArray())))
          .isEqualTo(Long.signum(Long.compare(x, y)));
    }
    byte[] p = Catalog.tablePrefix(300);
    byte[] end = KeyEncoding.prefixEnd(p);
    byte[] inside = Arrays.copyOf(p, p.length + 3);
    Arrays.fill(inside, p.length, inside.length, (byte) 0xFF);
    assertThat(Arrays.compareUnsigned(inside, end)).isNegative();
    assertThat(Arrays.compareUnsigned(Catalog.tablePrefix(301), end)).isGreaterThanOrEqualTo(0);
  }

  @Test
  void valueEncodingRoundTrips() {
    List<TableDesc.Column> cols = List.of(
        new TableDesc.Column(1, "a", ColumnType.of(PgType.INT4), true, null, null, false),
        new TableDesc.Column(2, "b", ColumnType.of(PgType.TEXT), true, null, null, false),
        new TableDesc.Column(3, "c", new ColumnType(PgType.NUMERIC, 10, 2), true, null, null, false),
        new TableDesc.Column(4, "d", ColumnType.of(PgType.FLOAT8), true, null, null, false),
        new TableDesc.Column(5, "e", ColumnType.of(PgType.BYTEA), true, null, null, false),
        new TableDesc.Column(6, "f", ColumnType.of(PgType.BOOL), true, null, null, false),
        new TableDesc.Column(7, "g", ColumnType.of(PgType.TIMESTAMP), true, null, null, false));
    TableDesc t = new TableDesc(1, 1, "public", "t", cols, List.of());
    Object[] row = {-5, "héllo", new BigDecimal("-12.34"), 2.5, new ByteString(new byte[] {0, 1}), true, 123456789L};
    byte[] v = ValueEncoding.encode(cols.toArray(new TableDesc.Column[0]), row);
    Object[] back = new Object[7];
    ValueEncoding.decode(v, t, back);
    assertThat(back).containsExactly(row);
    Object[] nulls = new Object[7];
    assertThat(ValueEncoding.encode(cols.toArray(new TableDesc.Column[0]), nulls)).isEmpty();
  }
}
