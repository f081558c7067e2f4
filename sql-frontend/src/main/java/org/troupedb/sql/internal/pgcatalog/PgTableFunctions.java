package org.troupedb.sql.internal.pgcatalog;

import java.util.List;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.TableFunctionImpl;

/**
 * PostgreSQL's set-returning functions usable in FROM: {@code generate_series} (in pg_catalog)
 * and {@code information_schema._pg_expandarray} (also reached from a select list, see
 * {@link PgSelectListSrf}).
 */
public final class PgTableFunctions {
  private PgTableFunctions() {}

  static void register(SchemaPlus schema) {
    for (String name : List.of("generate_series")) {
      schema.add(name, TableFunctionImpl.create(PgTableFunctions.class, name));
    }
  }

  /** Registers the functions of information_schema. */
  static void registerInformationSchema(SchemaPlus schema) {
    schema.add(PgSelectListSrf.FUNCTION, TableFunctionImpl.create(PgTableFunctions.class, "expandArray"));
  }

  /**
   * {@code information_schema._pg_expandarray(anyarray)}: one row (x, n) per element, x the
   * element and n its 1-based position; no rows for NULL or an empty array. NB: x is an integer
   * here whatever the element type (PostgreSQL gives the element's type); the function's callers
   * expand int2vector and int2[] columns.
   */
  public static ScannableTable expandArray(Object array) {
    List<?> elements = array instanceof List<?> l ? l : List.of();
    return VirtualTable.of(r -> {
      for (int i = 0; i < elements.size(); i++) {
        r.add(elements.get(i), i + 1);
      }
    }, "x", VirtualTable.Kind.INT4, "n", VirtualTable.Kind.INT4);
  }

  /**
   * {@code generate_series(start, stop)}: the integers start..stop (none if stop < start),
   * streamed ({@link SeriesTable}).
   */
  public static ScannableTable generate_series(Integer start, Integer stop) {
    return new SeriesTable(start, stop);
  }
}
