package org.troupedb.sql.internal.types;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;

/**
 * One-dimensional arrays of the scalar types (issue 14): the column type of a Calcite {@code
 * ARRAY} type and the coercion of a value (a list, or PostgreSQL's text form {@code {1,NULL}})
 * into its internal representation, a {@link List} of the elements' internal values with NULL
 * elements kept.
 *
 * <p>NB: an array of non-null smallints is an int2vector ({@link Int2Vector}, pg_index.indkey)
 * and stays text; {@code ARRAY[1::int2]} is therefore sent as {@code 1}, not {@code {1}}.
 */
public final class ArrayTypes {
  private ArrayTypes() {}

  /** The column type of an {@code ARRAY} type: the element's array type, else text. */
  public static ColumnType columnTypeOf(RelDataType t) {
    RelDataType c = t.getComponentType();
    if (c == null || Int2Vector.isVector(t) || c.getSqlTypeName() == SqlTypeName.ARRAY) {
      return ColumnType.of(PgType.TEXT);
    }
    ColumnType e = ColumnType.fromRelType(c);
    if (e.pg() == PgType.VARCHAR || e.pg() == PgType.BPCHAR) {
      // NB: literals are CHAR(n) and their arrays VARCHAR(n) to Calcite; PostgreSQL's are text[]
      return ColumnType.of(PgType.TEXT_ARRAY);
    }
    PgType array = e.pg().arrayType();
    return array == null ? ColumnType.of(PgType.TEXT) : new ColumnType(array, e.precision(), e.scale());
  }

  /** {@code v} (a list, an Object[] or the text form) as a list of the element type's internal values. */
  public static List<Object> coerce(ColumnType type, Object v) throws SqlException {
    ColumnType e = type.elemType();
    List<?> items;
    if (v instanceof List<?> l) {
      items = l;
    } else if (v instanceof Object[] a) {
      items = java.util.Arrays.asList(a);
    } else {
      items = org.troupedb.sql.PgArrayLiteral.parse(v instanceof org.apache.calcite.avatica.util.ByteString b ? b.toString() : v.toString());
    }
    List<Object> out = new ArrayList<>(items.size());
    for (Object x : items) {
      out.add(e.coerce(x));
    }
    return out;
  }
}
