package org.troupedb.sql.internal.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.troupedb.sql.SqlException;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnService;

/**
 * Reads and writes catalog descriptors through ordinary transactions, caching the newest
 * snapshot by version: a transaction reads the version key (one get) and reloads descriptors
 * only when it changed. Writing a descriptor bumps the version in the same transaction.
 */
public final class CatalogStore {
  private final TxnService kv;
  private volatile Catalog cached = Catalog.empty();
  /**
   * Transactions that wrote descriptors: what they read may never commit (and its version number
   * may later be taken by another DDL), so it is never cached.
   */
  private final java.util.Set<java.util.UUID> ddlTxns = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public CatalogStore(TxnService kv) {
    this.kv = kv;
  }

  /** Creates the system databases on first start. */
  public void bootstrap() throws SqlException {
    Txn txn = kv.begin(TxnOptions.readWrite());
    try {
      if (Kv.await(txn.get(Catalog.VERSION_KEY), null) == null) {
        Kv.await(kv.ensureSplitAt(new byte[] {0x10}), null);
        Kv.await(kv.ensureSplitAt(new byte[] {Catalog.TABLE_PREFIX}), null);
        List<Mutation> ms = new ArrayList<>();
        ms.add(new Mutation.Put(Catalog.descKey(1), Catalog.serialize(new Catalog.Database(1, "defaultdb"))));
        ms.add(new Mutation.Put(Catalog.descKey(2), Catalog.serialize(new Catalog.Database(2, "postgres"))));
        ms.add(new Mutation.Put(Catalog.ID_KEY, Kv.longBytes(100)));
        ms.add(new Mutation.Put(Catalog.VERSION_KEY, Kv.longBytes(1)));
        Kv.await(txn.write(ms), null);
      }
      Kv.await(txn.commit(), null);
    } catch (SqlException | RuntimeException e) {
      txn.rollback();
      throw e;
    }
  }

  /** The catalog as of {@code txn}. */
  /** The newest snapshot read so far (outside any transaction: a hint, not a read). */
  public Catalog latest() {
    return cached;
  }

  public Catalog read(Txn txn, AtomicBoolean cancel) throws SqlException {
    byte[] v = Kv.await(txn.get(Catalog.VERSION_KEY), cancel);
    long version = v == null ? 0 : Kv.bytesLong(v);
    Catalog c = cached;
    if (c.version() == version) {
      return c;
    }
    List<KeyValue> rows = Kv.await(txn.scan(Catalog.DESC_PREFIX, KeyEncoding.prefixEnd(Catalog.DESC_PREFIX), 0), cancel);
    List<byte[]> descs = new ArrayList<>();
    for (KeyValue kvp : rows) {
      descs.add(kvp.value());
    }
    Catalog loaded = Catalog.load(version, descs);
    if (loaded.version() > cached.version() && !ddlTxns.contains(txn.id())) {
      cached = loaded;
    }
    return loaded;
  }

  /**
   * Call after {@code txn} committed: if it wrote descriptors, the newest snapshot is read now,
   * so {@link #latest()} (which prepared statements are checked against) shows the DDL to every
   * later statement on this node. A failure to read leaves the old snapshot: statements read the
   * catalog in their own transactions anyway.
   */
  public void afterCommit(Txn txn) {
    if (!ddlTxns.remove(txn.id())) {
      return;
    }
    Txn t = kv.begin(new TxnOptions(true, null, true));
    try {
      read(t, null);
    } catch (SqlException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(CatalogStore.class).debug("catalog refresh after DDL failed", e);
    } finally {
      t.rollback();
    }
  }

  /** A fresh descriptor id. */
  public long nextId(Txn txn, AtomicBoolean cancel) throws SqlException {
    byte[] v = Kv.await(txn.get(Catalog.ID_KEY), cancel);
    long id = v == null ? 100 : Kv.bytesLong(v);
    Kv.await(txn.write(List.of(new Mutation.Put(Catalog.ID_KEY, Kv.longBytes(id + 1)))), cancel);
    return id;
  }

  /** Writes (or with null bytes deletes) descriptors and bumps the version past {@code from}. */
  public void writeDescriptors(Txn txn, Catalog from, List<Long> ids, List<byte[]> bytes,
      AtomicBoolean cancel) throws SqlException {
    if (ddlTxns.size() > 10_000) {
      ddlTxns.clear();
    }
    ddlTxns.add(txn.id());
    List<Mutation> ms = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      byte[] key = Catalog.descKey(ids.get(i));
      ms.add(bytes.get(i) == null ? new Mutation.Delete(key) : new Mutation.Put(key, bytes.get(i)));
    }
    ms.add(new Mutation.Put(Catalog.VERSION_KEY, Kv.longBytes(from.version() + 1)));
    Kv.await(txn.write(ms), cancel);
  }

  static byte[] bytes(TableDesc t) {
    return t.serialize();
  }
}
