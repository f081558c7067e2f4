package org.troupedb.sql.internal.pgcatalog;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.TableFunctionImpl;

/** PostgreSQL's set-returning functions usable in FROM ({@code generate_series}). */
public final class PgTableFunctions {
  private PgTableFunctions() {}

  static void register(SchemaPlus schema) {
    for (String name : List.of("generate_series")) {
      schema.add(name, TableFunctionImpl.create(PgTableFunctions.class, name));
    }
  }

  /** {@code generate_series(start, stop)}: the integers start..stop (none if stop < start). */
  public static ScannableTable generate_series(Integer start, Integer stop) {
    List<Object[]> rows = new ArrayList<>();
    if (start != null && stop != null) {
      for (long i = start; i <= stop; i++) {
        rows.add(new Object[] {(int) i});
      }
    }
    return VirtualTable.of(r -> rows.forEach(row -> r.add(row)), "generate_series", VirtualTable.Kind.INT4);
  }
}
