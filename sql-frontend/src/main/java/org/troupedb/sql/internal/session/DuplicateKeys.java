package org.troupedb.sql.internal.session;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.txn.KeyExistsException;

/**
 * How to report a duplicate key in each table the current transaction inserted into, by table id.
 * NB: an implicit transaction's writes are buffered until commit (1PC), so its
 * {@link KeyExistsException} surfaces from {@code commit()}, after the statement that caused it
 * has returned; this map names the violated constraint then. Cleared when a transaction begins.
 */
final class DuplicateKeys {
  private final Map<Long, Function<byte[], SqlException>> reporters = new HashMap<>();

  /** A new transaction: the reporters of the last one no longer apply. */
  void clear() {
    reporters.clear();
  }

  /** Registers how a duplicate key of table {@code tableId} is reported (the last registration wins). */
  void on(long tableId, Function<byte[], SqlException> reporter) {
    reporters.put(tableId, reporter);
  }

  /** The 23505 error for a duplicate key the KV layer reported, whichever operation surfaced it. */
  SqlException error(KeyExistsException e) {
    byte[] key = e.key();
    long tableId = key != null && key.length > 0 && key[0] == Catalog.TABLE_PREFIX ? KeyEncoding.readId(key, 1) : -1;
    Function<byte[], SqlException> reporter = reporters.get(tableId);
    if (reporter != null) {
      return reporter.apply(key);
    }
    return new SqlException(SqlState.UNIQUE_VIOLATION, "duplicate key value violates unique constraint", e);
  }
}
