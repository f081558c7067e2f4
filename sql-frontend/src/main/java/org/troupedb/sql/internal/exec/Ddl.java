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
import org.troupedb.sql.internal.session.Session;
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
import org.troupedb.txn.Txn;

/**
 * DDL: writes descriptors through the statement's transaction (so DDL is transactional) and bumps
 * the catalog version. This class dispatches each statement to the class of its object
 * ({@link TableDdl}, {@link AlterTableDdl}, {@link IndexDdl}, {@link DropDdl}, {@link ViewDdl},
 * {@link CommentDdl}) and runs the sequence and database statements itself.
 */
public final class Ddl {
  private Ddl() {}

  /** Executes DDL statement {@code node}, parsed from {@code sql}; returns its command tag. */
  public static String execute(Session s, Txn txn, Catalog cat, SqlNode node, String sql) throws SqlException {
    long db = s.database.id();
    if (node instanceof org.troupedb.sql.parser.ast.SqlCreateView || node instanceof org.troupedb.sql.parser.ast.SqlDropView
        || node instanceof org.troupedb.sql.parser.ast.SqlCreateTableAs) {
      return ViewDdl.execute(s, txn, cat, node, sql);
    }
    if (node instanceof org.troupedb.sql.parser.ast.SqlComment c) {
      return CommentDdl.execute(s, txn, cat, c);
    }
    if (node instanceof SqlCreateTable ct) {
      return TableDdl.createTable(s, txn, cat, db, ct, sql);
    } else if (node instanceof SqlDropTable dt) {
      return DropDdl.dropTables(s, txn, cat, db, dt);
    } else if (node instanceof SqlTruncateTable tr) {
      return DropDdl.truncate(s, txn, cat, tr);
    } else if (node instanceof SqlCreateIndex ci) {
      return IndexDdl.createIndex(s, txn, cat, db, ci);
    } else if (node instanceof SqlDropIndex di) {
      return IndexDdl.dropIndex(s, txn, cat, db, List.of(objectName(s, di.name())), di.ifExists());
    } else if (node instanceof SqlCreateSequence cs) {
      return createSequence(s, txn, cat, db, cs);
    } else if (node instanceof SqlDropSequence ds) {
      return dropSequence(s, txn, cat, db, ds);
    }
    if (node instanceof SqlAlterTable at) {
      return AlterTableDdl.alterTable(s, txn, cat, db, at, sql);
    }
    if (node instanceof SqlCreateDatabase cd) {
      return createDatabase(s, txn, cat, cd);
    }
    if (node instanceof SqlDropDatabase dd) {
      return DropDdl.dropDatabase(s, txn, cat, dd);
    }
    throw SqlException.unsupported(StatementParser.tag(node));
  }

  /** {@link Names#objectName} in the session's database. */
  static String objectName(Session s, SqlIdentifier id) throws SqlException {
    return Names.objectName(s.database, id);
  }

  /** {@link Names#table} in the session's database. */
  static TableDesc table(Session s, Catalog cat, SqlIdentifier id) throws SqlException {
    return Names.table(s.database, cat, id);
  }

  private static String createSequence(Session s, Txn txn, Catalog cat, long db, SqlCreateSequence cs)
      throws SqlException {
    String name = objectName(s, cs.name());
    if (cat.sequence(db, "public", name) != null || cat.table(db, "public", name) != null) {
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
    long id = s.engine.catalog.nextId(txn, s.cancel);
    Catalog.SequenceDesc seq = new Catalog.SequenceDesc(id, db, "public", name, inc, min, max, start);
    s.engine.catalog.writeDescriptors(txn, cat, List.of(id), List.of(Catalog.serialize(seq)), s.cancel);
    return "CREATE SEQUENCE";
  }

  private static String dropSequence(Session s, Txn txn, Catalog cat, long db, SqlDropSequence ds) throws SqlException {
    String n = objectName(s, ds.name());
    Catalog.SequenceDesc seq = cat.sequence(db, "public", n);
    if (seq == null) {
      if (ds.ifExists()) {
        return "DROP SEQUENCE";
      }
      throw new SqlException(SqlState.UNDEFINED_TABLE, "sequence \"" + n + "\" does not exist");
    }
    s.engine.catalog.writeDescriptors(txn, cat, List.of(seq.id()), Arrays.asList((byte[]) null), s.cancel);
    return "DROP SEQUENCE";
  }

  private static String createDatabase(Session s, Txn txn, Catalog cat, SqlCreateDatabase cd) throws SqlException {
    String name = cd.name().getSimple();
    if (cat.database(name) != null) {
      if (cd.ifNotExists()) {
        return "CREATE DATABASE";
      }
      throw new SqlException(SqlState.DUPLICATE_DATABASE, "database \"" + name + "\" already exists");
    }
    long id = s.engine.catalog.nextId(txn, s.cancel);
    s.engine.catalog.writeDescriptors(txn, cat, List.of(id),
        List.of(Catalog.serialize(new Catalog.Database(id, name))), s.cancel);
    Privileges.recordOwner(s, txn, cat, AuthCatalog.ObjectKind.DATABASE, id);
    return "CREATE DATABASE";
  }
}
