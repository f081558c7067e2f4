package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.catalog.ViewDesc;
import org.troupedb.sql.internal.plan.PlanKind;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.internal.types.ColumnType;
import org.troupedb.sql.parser.ast.SqlCreateTableAs;
import org.troupedb.txn.Mutation;

/**
 * {@code CREATE TABLE name [(columns)] AS query [WITH [NO] DATA]}: a table with the query's column
 * names and types, all nullable, without a primary key (the hidden {@code rowid} is its key, as
 * for any table declared without one), filled with the query's rows in the same transaction.
 * The command tag is PostgreSQL's: {@code SELECT n}, or {@code CREATE TABLE AS} for WITH NO DATA.
 */
final class CreateTableAs {
  private CreateTableAs() {}

  /** Rows written per KV batch. */
  private static final int BATCH = 1000;

  static String execute(StatementContext cx, SqlCreateTableAs ct, String sql) throws SqlException {
    long db = cx.databaseId();
    String name = Ddl.objectName(cx, ct.name());
    if (cx.catalog().table(db, "public", name) != null || cx.catalog().sequence(db, "public", name) != null
        || cx.catalog().view(db, "public", name) != null) {
      if (ct.ifNotExists()) {
        return "CREATE TABLE AS"; // NB: PostgreSQL also sends NOTICE: relation "name" already exists, skipping
      }
      throw new SqlException(SqlState.DUPLICATE_TABLE, "relation \"" + name + "\" already exists");
    }
    QueryPlanner.Plan plan = ViewDdl.plan(cx, PlanKind.CREATE_TABLE_AS, sql,
        () -> ((SqlCreateTableAs) QueryPlanner.parse(sql)).query());
    if (!plan.paramTypes().isEmpty()) {
      throw new SqlException(SqlState.UNDEFINED_PARAMETER, "there is no parameter $1");
    }
    List<ViewDesc.Column> columns = ViewDdl.columns(plan, ct.columnNames(), "too many column names were specified");
    long tableId = cx.catalogs().nextId(cx.txn(), cx.cancel());
    List<TableDesc.Column> cols = new ArrayList<>();
    int colId = 1;
    for (ViewDesc.Column c : columns) {
      cols.add(new TableDesc.Column(colId++, c.name(), c.type(), true, null, null, false));
    }
    cols.add(new TableDesc.Column(colId, "rowid", ColumnType.of(PgType.INT8), false, null, null, true));
    int[] pk = {cols.size() - 1};
    TableDesc t = new TableDesc(tableId, db, "public", name, List.copyOf(cols),
        List.of(new TableDesc.Index(TableDesc.PRIMARY_INDEX_ID, name + "_pkey", true, pk, new boolean[1])));
    byte[] prefix = Catalog.tablePrefix(tableId);
    Kv.await(cx.kv().ensureSplitAt(prefix), cx.cancel());
    Kv.await(cx.kv().ensureSplitAt(KeyEncoding.prefixEnd(prefix)), cx.cancel());
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(tableId), List.of(t.serialize()), cx.cancel());
    Privileges.recordOwner(cx, AuthCatalog.ObjectKind.TABLE, tableId);
    if (!ct.withData()) {
      return "CREATE TABLE AS";
    }
    List<Object[]> rows = PlanRunner.run(cx, plan, new Object[0]);
    boolean[] targeted = new boolean[cols.size()];
    java.util.Arrays.fill(targeted, 0, columns.size(), true);
    Object[] defaults = new Object[cols.size()];
    List<Mutation> ms = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] full = new Object[cols.size()];
      for (int i = 0; i < columns.size(); i++) {
        full[i] = cols.get(i).type().coerce(r[i]);
      }
      NewRows.complete(cx, t, targeted, defaults, full);
      RowWriter.insert(t, full, ms);
      if (ms.size() >= BATCH) {
        DmlWrites.write(cx, t, ms);
        ms = new ArrayList<>();
      }
    }
    DmlWrites.write(cx, t, ms);
    return "SELECT " + rows.size();
  }
}
