package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;

/**
 * Fills a column just added with a volatile DEFAULT ({@code random()}, {@code gen_random_uuid()},
 * {@code clock_timestamp()}, {@code nextval}): its DEFAULT is evaluated once per existing row, as
 * PostgreSQL's table rewrite does, and each primary row is rewritten. Pages of {@value #PAGE} rows,
 * so memory stays bounded; all in the DDL's transaction (see docs/sql.md: not an online backfill).
 */
final class ColumnBackfill {
  static final int PAGE = 500;

  private ColumnBackfill() {}

  /** Sets column {@code pos} of every row of table {@code nt} (the new descriptor) to its DEFAULT. */
  static void fill(StatementContext cx, TableDesc nt, int pos) throws SqlException {
    TableDesc.Column c = nt.columns().get(pos);
    KvTable decoder = new KvTable(nt, true);
    byte[] prefix = Catalog.indexPrefix(nt.id(), TableDesc.PRIMARY_INDEX_ID);
    byte[] start = prefix;
    byte[] end = KeyEncoding.prefixEnd(prefix);
    while (true) {
      List<KeyValue> page = Kv.await(cx.txn().scan(start, end, PAGE), cx.cancel());
      if (page.isEmpty()) {
        return;
      }
      List<Mutation> ms = new ArrayList<>();
      for (KeyValue kv : page) {
        Object[] row = decoder.decodeRow(kv.key(), kv.value());
        row[pos] = NewRows.evalDefault(cx, c);
        if (row[pos] == null && !c.nullable()) {
          throw ColumnDdl.containsNulls(c.name(), nt.name());
        }
        ms.add(new Mutation.Put(kv.key(), RowWriter.value(nt, row)));
      }
      Kv.await(cx.txn().write(ms), cx.cancel());
      byte[] last = page.get(page.size() - 1).key();
      start = Arrays.copyOf(last, last.length + 1);
    }
  }
}
