package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.CommentDesc;
import org.troupedb.sql.internal.catalog.Names;
import org.troupedb.sql.internal.catalog.PgOids;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlComment;

/**
 * COMMENT ON TABLE / VIEW / COLUMN: one comment descriptor per object ({@link CommentDesc}),
 * replaced by a new comment and removed by {@code IS NULL} or {@code IS ''}, as in PostgreSQL.
 * Comments on other objects are 0A000. pg_description, obj_description and col_description show
 * them.
 */
final class CommentDdl {
  private CommentDdl() {}

  static String execute(StatementContext cx, SqlComment c) throws SqlException {
    long db = cx.databaseId();
    long relation;
    int subId = 0;
    switch (c.objectKind()) {
      case "TABLE", "VIEW" -> {
        String n = Names.objectName(cx.database(), c.name());
        TableDesc t = cx.catalog().table(db, "public", n);
        ViewDesc v = cx.catalog().view(db, "public", n);
        if (t == null && v == null) {
          throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + n + "\" does not exist");
        }
        if (c.objectKind().equals("TABLE") && t == null || c.objectKind().equals("VIEW") && v == null) {
          throw new SqlException(SqlState.WRONG_OBJECT_TYPE, "\"" + n + "\" is not a "
              + c.objectKind().toLowerCase(java.util.Locale.ROOT));
        }
        relation = t != null ? t.id() : v.id();
      }
      case "COLUMN" -> {
        List<String> names = c.name().names;
        if (names.size() < 2) {
          throw new SqlException(SqlState.SYNTAX_ERROR, "column name must be qualified");
        }
        SqlIdentifier rel = c.name().getComponent(0, names.size() - 1);
        String n = Names.objectName(cx.database(), rel);
        String col = names.get(names.size() - 1);
        TableDesc t = cx.catalog().table(db, "public", n);
        ViewDesc v = cx.catalog().view(db, "public", n);
        TableDesc shape = t != null ? t : v != null ? v.shape() : null;
        if (shape == null) {
          throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + n + "\" does not exist");
        }
        int i = shape.columnIndex(col);
        if (i < 0 || shape.columns().get(i).hidden()) {
          throw new SqlException(SqlState.UNDEFINED_COLUMN, "column \"" + col + "\" of relation \"" + n
              + "\" does not exist");
        }
        relation = shape.id();
        subId = PgOids.attnum(shape, i);
      }
      default -> throw SqlException.unsupported("COMMENT ON " + c.objectKind());
    }
    String text = c.text();
    CommentDesc old = cx.catalog().comment(relation, subId);
    if (text == null || text.isEmpty()) {
      if (old != null) {
        cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(old.id()), Arrays.asList((byte[]) null),
            cx.cancel());
      }
      return "COMMENT";
    }
    long id = old != null ? old.id() : cx.catalogs().nextId(cx.txn(), cx.cancel());
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(id),
        List.of(new CommentDesc(id, relation, subId, text).serialize()), cx.cancel());
    return "COMMENT";
  }

  /** The descriptor ids of the comments on relations {@code relationIds} and their columns (dropped with them). */
  static List<Long> commentsOn(Catalog cat, List<Long> relationIds) {
    List<Long> out = new ArrayList<>();
    for (CommentDesc c : cat.comments().values()) {
      if (relationIds.contains(c.relationId())) {
        out.add(c.id());
      }
    }
    return out;
  }
}
