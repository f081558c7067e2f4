package org.troupedb.sql.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.types.ColumnType;

/** Rows stored under one descriptor read back under a later one: missing values, explicit NULLs, former ids. */
class ColumnHistoryTest {
  private static TableDesc.Column col(int id, String name, PgType t) {
    return new TableDesc.Column(id, name, ColumnType.of(t), true, null, null, false);
  }

  @Test
  void missingValueExplicitNullAndConvertedFormerColumn() throws Exception {
    TableDesc v1 = new TableDesc(7, 1, "public", "t", List.of(col(1, "id", PgType.INT4), col(2, "r", PgType.FLOAT4),
        col(3, "gone", PgType.INT8)), List.of());
    byte[] old = ValueEncoding.encode(new TableDesc.Column[] {v1.columns().get(1), v1.columns().get(2)},
        new Object[] {1.5f, 99L});
    // r retyped to double (new id 4, converted from id 2), gone dropped, c added with missing value 'x'
    TableDesc v2 = new TableDesc(7, 1, "public", "t", List.of(col(1, "id", PgType.INT4), col(4, "r", PgType.FLOAT8),
        col(5, "c", PgType.TEXT)), List.of()).withHistory(ColumnHistory.EMPTY
        .withFormer(new ColumnHistory.Former(2, ColumnType.of(PgType.FLOAT4), 4))
        .withFormer(new ColumnHistory.Former(3, ColumnType.of(PgType.INT8), 0))
        .withMissing(5, "x"));
    TableDesc back = roundTrip(v2);
    assertThat(back.history().missing()).containsEntry(5, "x");
    assertThat(back.history().former()).hasSize(2);
    assertThat(back.nextColumnId()).isEqualTo(6);
    Object[] row = new Object[3];
    ValueEncoding.decode(old, back, row);
    assertThat(row).containsExactly(null, 1.5d, "x");
    // a NULL written under v2 stays NULL instead of reading the missing value
    byte[] fresh = ValueEncoding.encode(new TableDesc.Column[] {back.columns().get(1), back.columns().get(2)},
        new Object[] {2.5d, null}, back.history());
    Object[] row2 = new Object[3];
    ValueEncoding.decode(fresh, back, row2);
    assertThat(Arrays.asList(row2)).containsExactly(null, 2.5d, null);
    assertThat(ValueEncoding.encode(new TableDesc.Column[] {back.columns().get(2)}, new Object[] {null})).isEmpty();
  }

  @Test
  void chainOfRetypingsIsFollowed() throws Exception {
    byte[] old = ValueEncoding.encode(new TableDesc.Column[] {col(2, "a", PgType.INT4)}, new Object[] {42});
    TableDesc t = new TableDesc(7, 1, "public", "t", List.of(col(1, "id", PgType.INT4), col(9, "a", PgType.NUMERIC)),
        List.of()).withHistory(ColumnHistory.EMPTY
        .withFormer(new ColumnHistory.Former(2, ColumnType.of(PgType.INT4), 5))
        .withFormer(new ColumnHistory.Former(5, ColumnType.of(PgType.FLOAT8), 9)));
    Object[] row = new Object[2];
    ValueEncoding.decode(old, roundTrip(t), row);
    assertThat(row[1]).isEqualTo(new BigDecimal("42"));
  }

  private static TableDesc roundTrip(TableDesc t) throws Exception {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(t.serialize()));
    assertThat(in.readByte()).isEqualTo((byte) 'T');
    return TableDesc.deserialize(in);
  }
}
