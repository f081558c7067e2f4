package org.troupedb.sql.internal.exec;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.Names;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.StatementParser;
import org.troupedb.sql.parser.ast.SqlAlterTable;
import org.troupedb.sql.parser.ast.SqlCreateDatabase;
import org.troupedb.sql.parser.ast.SqlCreateIndex;
import org.troupedb.sql.parser.ast.SqlCreateSequence;
import org.troupedb.sql.parser.ast.SqlCreateTable;
import org.troupedb.sql.parser.ast.SqlDropDatabase;
import org.troupedb.sql.parser.ast.SqlDropIndex;
import org.troupedb.sql.parser.ast.SqlDropSequence;
import org.troupedb.sql.parser.ast.SqlDropTable;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;
import org.troupedb.sql.parser.ast.SqlTruncateTable;

/**
 * DDL: writes descriptors through the statement's transaction (so DDL is transactional) and bumps
 * the catalog version. This class dispatches each statement to the class of its object
 * ({@link TableDdl}, {@link AlterTableDdl}, {@link IndexDdl}, {@link DropDdl}, {@link ViewDdl},
 * {@link CommentDdl}) and runs the sequence and database statements itself.
 */
public final class Ddl {
  private Ddl() {}

  /** Executes DDL statement {@code node}, parsed from {@code sql}; returns its command tag. */
  public static String execute(StatementContext cx, SqlNode node, String sql) throws SqlException {
    long db = cx.databaseId();
    if (node instanceof org.troupedb.sql.parser.ast.SqlCreateView || node instanceof org.troupedb.sql.parser.ast.SqlDropView
        || node instanceof org.troupedb.sql.parser.ast.SqlCreateTableAs) {
      return ViewDdl.execute(cx, node, sql);
    }
    if (node instanceof org.troupedb.sql.parser.ast.SqlComment c) {
      return CommentDdl.execute(cx, c);
    }
    if (node instanceof SqlCreateTable ct) {
      return TableDdl.createTable(cx, db, ct, sql);
    } else if (node instanceof SqlDropTable dt) {
      return DropDdl.dropTables(cx, db, dt);
    } else if (node instanceof SqlTruncateTable tr) {
      return DropDdl.truncate(cx, tr);
    } else if (node instanceof SqlCreateIndex ci) {
      return IndexDdl.createIndex(cx, db, ci);
    } else if (node instanceof SqlDropIndex di) {
      return IndexDdl.dropIndex(cx, db, List.of(objectName(cx, di.name())), di.ifExists());
    } else if (node instanceof SqlCreateSequence cs) {
      return createSequence(cx, db, cs);
    } else if (node instanceof SqlDropSequence ds) {
      return dropSequence(cx, db, ds);
    }
    if (node instanceof SqlAlterTable at) {
      return AlterTableDdl.alterTable(cx, db, at, sql);
    }
    if (node instanceof SqlCreateDatabase cd) {
      return createDatabase(cx, cd);
    }
    if (node instanceof SqlDropDatabase dd) {
      return DropDdl.dropDatabase(cx, dd);
    }
    throw SqlException.unsupported(StatementParser.tag(node));
  }

  /** {@link Names#objectName} in the session's database. */
  static String objectName(StatementContext cx, SqlIdentifier id) throws SqlException {
    return Names.objectName(cx.database(), id);
  }

  /** {@link Names#table} in the session's database. */
  static TableDesc table(StatementContext cx, SqlIdentifier id) throws SqlException {
    return Names.table(cx.database(), cx.catalog(), id);
  }

  private static String createSequence(StatementContext cx, long db, SqlCreateSequence cs)
      throws SqlException {
    String name = objectName(cx, cs.name());
    if (cx.catalog().sequence(db, "public", name) != null || cx.catalog().table(db, "public", name) != null) {
      if (cs.ifNotExists()) {
        return "CREATE SEQUENCE";
      }
      throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    if (cs.cycle()) {
      throw SqlException.unsupported("CYCLE sequences");
    }
    long typeMax = Long.MAX_VALUE;
    if (cs.dataType() != null) {
      ColumnType t = TableDdl.columnType((SqlPgTypeNameSpec) cs.dataType().getTypeNameSpec());
      typeMax = switch (t.pg()) {
        case INT2 -> Short.MAX_VALUE;
        case INT4 -> Integer.MAX_VALUE;
        case INT8 -> Long.MAX_VALUE;
        default -> throw new SqlException(SqlState.INVALID_PARAMETER_VALUE,
            "sequence type must be smallint, integer, or bigint");
      };
    }
    long inc = cs.increment() == null || cs.increment() == 0 ? 1 : cs.increment();
    long min = cs.minValue() != null ? cs.minValue() : inc > 0 ? 1 : -typeMax - 1;
    long max = cs.maxValue() != null ? cs.maxValue() : inc > 0 ? typeMax : -1;
    long start = cs.start() != null ? cs.start() : inc > 0 ? min : max;
    long id = cx.catalogs().nextId(cx.txn(), cx.cancel());
    Catalog.SequenceDesc seq = new Catalog.SequenceDesc(id, db, "public", name, inc, min, max, start);
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(id), List.of(Catalog.serialize(seq)), cx.cancel());
    return "CREATE SEQUENCE";
  }

  private static String dropSequence(StatementContext cx, long db, SqlDropSequence ds) throws SqlException {
    String n = objectName(cx, ds.name());
    Catalog.SequenceDesc seq = cx.catalog().sequence(db, "public", n);
    if (seq == null) {
      if (ds.ifExists()) {
        return "DROP SEQUENCE";
      }
      throw new SqlException(SqlState.UNDEFINED_TABLE, "sequence \"" + n + "\" does not exist");
    }
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(seq.id()), Arrays.asList((byte[]) null),
        cx.cancel());
    return "DROP SEQUENCE";
  }

  private static String createDatabase(StatementContext cx, SqlCreateDatabase cd) throws SqlException {
    String name = cd.name().getSimple();
    if (cx.catalog().database(name) != null) {
      if (cd.ifNotExists()) {
        return "CREATE DATABASE";
      }
      throw new SqlException(SqlState.DUPLICATE_DATABASE, "database \"" + name + "\" already exists");
    }
    long id = cx.catalogs().nextId(cx.txn(), cx.cancel());
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(id),
        List.of(Catalog.serialize(new Catalog.Database(id, name))), cx.cancel());
    Privileges.recordOwner(cx, AuthCatalog.ObjectKind.DATABASE, id);
    return "CREATE DATABASE";
  }
}
