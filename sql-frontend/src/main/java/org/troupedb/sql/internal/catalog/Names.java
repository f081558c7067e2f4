package org.troupedb.sql.internal.catalog;

import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * Name lookup: the object a name in a statement ({@code t}, {@code public.t}, {@code db.public.t})
 * stands for in the session's database. Only the {@code public} schema exists.
 */
public final class Names {
  private Names() {}

  /**
   * The name of the object {@code id} names in database {@code db}: its last part. A schema
   * other than {@code public} does not exist (3F000); a database other than the session's is a
   * cross-database reference (0A000), as in PostgreSQL.
   */
  public static String objectName(Catalog.Database db, SqlIdentifier id) throws SqlException {
    List<String> names = id.names;
    int n = names.size();
    if (n >= 3 && !names.get(n - 3).equals(db.name())) {
      throw SqlException.unsupported("cross-database references (\"" + String.join(".", names) + "\")");
    }
    if (n >= 2 && !names.get(n - 2).equals("public")) {
      throw new SqlException(SqlState.INVALID_SCHEMA_NAME, "schema \"" + names.get(n - 2) + "\" does not exist");
    }
    return names.get(n - 1);
  }

  /** The table {@code id} names in database {@code db}; 42P01 if there is none. */
  public static TableDesc table(Catalog.Database db, Catalog cat, SqlIdentifier id) throws SqlException {
    String n = objectName(db, id);
    TableDesc t = cat.table(db.id(), "public", n);
    if (t == null) {
      throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + n + "\" does not exist");
    }
    return t;
  }
}
