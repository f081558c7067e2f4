package org.troupedb.sql.internal.pgcatalog;

import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.BOOL;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.FLOAT4;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT2;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT2VECTOR;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT2_ARRAY;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT4;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.OID;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.TEXT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.calcite.schema.Table;
import org.troupedb.sql.PgType;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.PgOids;
import org.troupedb.sql.internal.catalog.TableDesc;

/**
 * The {@code pg_catalog} relations of one database, computed from one immutable catalog snapshot
 * (see {@link PgCatalogSchemas}). Column lists follow PostgreSQL 15 (the columns psql and pgjdbc
 * read, in PostgreSQL's order); relations TroupeDB has no objects for are present and empty.
 *
 * <p>Also two relations of our own that back the deparsing functions: {@code $indexdef}
 * ($indexrelid, $colno, $def: colno 0 is the whole CREATE INDEX, n the n-th column) and
 * {@code $constraintdef} ($oid, $def). NB: their column names start with {@code $} so that
 * a function argument such as a bare {@code oid} still means the caller's column inside the
 * lookup subquery.
 */
final class PgCatalogTables {
  /** The relations named here get PostgreSQL's OIDs; the rest are numbered from 14000. */
  private static final Map<String, Long> KNOWN_OIDS = Map.ofEntries(
      Map.entry("pg_type", 1247L), Map.entry("pg_attribute", 1249L), Map.entry("pg_proc", 1255L),
      Map.entry("pg_class", 1259L), Map.entry("pg_authid", 1260L), Map.entry("pg_database", 1262L),
      Map.entry("pg_tablespace", 1213L), Map.entry("pg_am", 2601L), Map.entry("pg_attrdef", 2604L),
      Map.entry("pg_constraint", 2606L), Map.entry("pg_description", 2609L), Map.entry("pg_index", 2610L),
      Map.entry("pg_inherits", 2611L), Map.entry("pg_namespace", 2615L), Map.entry("pg_collation", 3456L));

  private final Catalog catalog;
  private final long databaseId;

  PgCatalogTables(Catalog catalog, long databaseId) {
    this.catalog = catalog;
    this.databaseId = databaseId;
  }

  private List<TableDesc> tables() {
    List<TableDesc> out = new ArrayList<>();
    for (TableDesc t : catalog.tables().values()) {
      if (t.databaseId() == databaseId) {
        out.add(t);
      }
    }
    return out;
  }

  private List<Catalog.SequenceDesc> sequences() {
    List<Catalog.SequenceDesc> out = new ArrayList<>();
    for (Catalog.SequenceDesc s : catalog.sequences().values()) {
      if (s.databaseId() == databaseId) {
        out.add(s);
      }
    }
    return out;
  }

  static long catalogRelationOid(String name, int ordinal) {
    return KNOWN_OIDS.getOrDefault(name, 14_000L + ordinal);
  }

  Map<String, Table> build(Map<String, Long> systemRelations) {
    Map<String, Table> m = new TreeMap<>();
    m.put("pg_namespace", VirtualTable.of(r -> {
      TreeSet<String> schemas = new TreeSet<>(List.of("pg_catalog", "public", "information_schema"));
      for (TableDesc t : tables()) {
        schemas.add(t.schema());
      }
      for (String s : schemas) {
        r.add(PgOids.namespace(s), s, s.equals("public") ? PgOids.DATABASE_OWNER_ROLE : PgOids.ROOT_ROLE, null);
      }
    }, "oid", OID, "nspname", TEXT, "nspowner", OID, "nspacl", TEXT));
    m.put("pg_class", VirtualTable.of(r -> classRows(r, systemRelations), "oid", OID, "relname", TEXT,
        "relnamespace", OID, "reltype", OID, "reloftype", OID, "relowner", OID, "relam", OID,
        "relfilenode", OID, "reltablespace", OID, "relpages", INT4, "reltuples", FLOAT4, "relallvisible", INT4,
        "reltoastrelid", OID, "relhasindex", BOOL, "relisshared", BOOL, "relpersistence", TEXT,
        "relkind", TEXT, "relnatts", INT2, "relchecks", INT2, "relhasrules", BOOL, "relhastriggers", BOOL,
        "relhassubclass", BOOL, "relrowsecurity", BOOL, "relforcerowsecurity", BOOL, "relispopulated", BOOL,
        "relreplident", TEXT, "relispartition", BOOL, "relrewrite", OID, "relacl", TEXT, "reloptions", TEXT,
        "relpartbound", TEXT));
    m.put("pg_attribute", VirtualTable.of(this::attributeRows, "attrelid", OID, "attname", TEXT,
        "atttypid", OID, "attstattarget", INT4, "attlen", INT2, "attnum", INT2, "attndims", INT4,
        "attcacheoff", INT4, "atttypmod", INT4, "attbyval", BOOL, "attalign", TEXT, "attstorage", TEXT,
        "attcompression", TEXT, "attnotnull", BOOL, "atthasdef", BOOL, "atthasmissing", BOOL,
        "attidentity", TEXT, "attgenerated", TEXT, "attisdropped", BOOL, "attislocal", BOOL,
        "attinhcount", INT4, "attcollation", OID, "attacl", TEXT, "attoptions", TEXT, "attfdwoptions", TEXT));
    m.put("pg_type", VirtualTable.of(PgCatalogTables::typeRows, "oid", OID, "typname", TEXT,
        "typnamespace", OID, "typowner", OID, "typlen", INT2, "typbyval", BOOL, "typtype", TEXT,
        "typcategory", TEXT, "typispreferred", BOOL, "typisdefined", BOOL, "typdelim", TEXT, "typrelid", OID,
        "typelem", OID, "typarray", OID, "typinput", TEXT, "typoutput", TEXT, "typreceive", TEXT,
        "typsend", TEXT, "typalign", TEXT, "typstorage", TEXT, "typnotnull", BOOL, "typbasetype", OID,
        "typtypmod", INT4, "typndims", INT4, "typcollation", OID, "typdefault", TEXT, "typacl", TEXT));
    m.put("pg_index", VirtualTable.of(this::indexRows, "indexrelid", OID, "indrelid", OID,
        "indnatts", INT2, "indnkeyatts", INT2, "indisunique", BOOL, "indnullsnotdistinct", BOOL,
        "indisprimary", BOOL, "indisexclusion", BOOL, "indimmediate", BOOL, "indisclustered", BOOL,
        "indisvalid", BOOL, "indcheckxmin", BOOL, "indisready", BOOL, "indislive", BOOL,
        "indisreplident", BOOL, "indkey", INT2VECTOR, "indcollation", TEXT, "indclass", TEXT, "indoption", INT2VECTOR,
        "indexprs", TEXT, "indpred", TEXT));
    m.put("pg_constraint", VirtualTable.of(this::constraintRows, "oid", OID, "conname", TEXT,
        "connamespace", OID, "contype", TEXT, "condeferrable", BOOL, "condeferred", BOOL, "convalidated", BOOL,
        "conrelid", OID, "contypid", OID, "conindid", OID, "conparentid", OID, "confrelid", OID,
        "confupdtype", TEXT, "confdeltype", TEXT, "confmatchtype", TEXT, "conislocal", BOOL,
        "coninhcount", INT4, "connoinherit", BOOL, "conkey", INT2_ARRAY, "confkey", INT2_ARRAY, "conbin", TEXT));
    m.put("pg_attrdef", VirtualTable.of(r -> {
      for (TableDesc t : tables()) {
        for (int i = 0; i < t.columns().size(); i++) {
          TableDesc.Column c = t.columns().get(i);
          String def = PgDefinitions.defaultExpr(c);
          if (def != null && !c.hidden()) {
            // adbin holds the deparsed text, so pg_get_expr(adbin, adrelid) is adbin itself.
            r.add(PgOids.attrdef(t.id(), c.id()), PgOids.relation(t.id()), PgOids.attnum(t, i), def);
          }
        }
      }
    }, "oid", OID, "adrelid", OID, "adnum", INT2, "adbin", TEXT));
    m.put("pg_database", VirtualTable.of(r -> {
      for (Catalog.Database d : catalog.databases().values()) {
        r.add(PgOids.relation(d.id()), d.name(), PgOids.ROOT_ROLE, 6, "c", false, true, -1,
            PgOids.DEFAULT_TABLESPACE, "C.UTF-8", "C.UTF-8", null, null, null);
      }
    }, "oid", OID, "datname", TEXT, "datdba", OID, "encoding", INT4, "datlocprovider", TEXT,
        "datistemplate", BOOL, "datallowconn", BOOL, "datconnlimit", INT4, "dattablespace", OID,
        "datcollate", TEXT, "datctype", TEXT, "daticulocale", TEXT, "datcollversion", TEXT, "datacl", TEXT));
    PgRoleTables.add(m, catalog, databaseId, tables());
    PgToolCatalog.add(m, tables());
    m.put("pg_auth_members", VirtualTable.empty("roleid", OID, "member", OID, "grantor", OID,
        "admin_option", BOOL));
    m.put("pg_settings", VirtualTable.of(r -> {
      for (String[] s : SETTINGS) {
        r.add(s[0], s[1], null, "Preset Options", s[0], "internal", s[2], "default", null, null, s[1], s[1]);
      }
    }, "name", TEXT, "setting", TEXT, "unit", TEXT, "category", TEXT, "short_desc", TEXT, "context", TEXT,
        "vartype", TEXT, "source", TEXT, "min_val", TEXT, "max_val", TEXT, "boot_val", TEXT, "reset_val", TEXT));
    m.put("pg_description", PgDescriptions.table(catalog, databaseId));
    m.put("pg_am", VirtualTable.of(r -> {
      r.add(PgOids.HEAP_AM, "heap", "heap_tableam_handler", "t");
      r.add(PgOids.BTREE_AM, "btree", "bthandler", "i");
      r.add(405, "hash", "hashhandler", "i");
    }, "oid", OID, "amname", TEXT, "amhandler", TEXT, "amtype", TEXT));
    m.put("pg_proc", VirtualTable.of(r -> {
      int n = 0;
      for (String f : PgFunctions.NAMES) {
        r.add(15_000 + n++, f, PgOids.PG_CATALOG, PgOids.ROOT_ROLE, 12, "f", false, PgType.TEXT.oid(), f);
      }
    }, "oid", OID, "proname", TEXT, "pronamespace", OID, "proowner", OID, "prolang", OID, "prokind", TEXT,
        "proretset", BOOL, "prorettype", OID, "prosrc", TEXT));
    m.put("pg_tablespace", VirtualTable.of(r -> {
      r.add(PgOids.DEFAULT_TABLESPACE, "pg_default", PgOids.ROOT_ROLE, null, null);
      r.add(1664, "pg_global", PgOids.ROOT_ROLE, null, null);
    }, "oid", OID, "spcname", TEXT, "spcowner", OID, "spcacl", TEXT, "spcoptions", TEXT));
    m.put("pg_collation", VirtualTable.of(r -> {
      r.add(PgOids.DEFAULT_COLLATION, "default", PgOids.PG_CATALOG, PgOids.ROOT_ROLE, "d", true, -1, null, null);
      r.add(950, "C", PgOids.PG_CATALOG, PgOids.ROOT_ROLE, "c", true, -1, "C", "C");
      r.add(951, "POSIX", PgOids.PG_CATALOG, PgOids.ROOT_ROLE, "c", true, -1, "POSIX", "POSIX");
    }, "oid", OID, "collname", TEXT, "collnamespace", OID, "collowner", OID, "collprovider", TEXT,
        "collisdeterministic", BOOL, "collencoding", INT4, "collcollate", TEXT, "collctype", TEXT));
    // Features TroupeDB does not have: always empty (see PgCatalogRewrites.alwaysEmpty).
    m.put("pg_inherits", VirtualTable.empty("inhrelid", OID, "inhparent", OID, "inhseqno", INT4,
        "inhdetachpending", BOOL));
    m.put("pg_policy", VirtualTable.empty("oid", OID, "polname", TEXT, "polrelid", OID, "polcmd", TEXT,
        "polpermissive", BOOL, "polroles", TEXT, "polqual", TEXT, "polwithcheck", TEXT));
    m.put("pg_statistic_ext", VirtualTable.empty("oid", OID, "stxrelid", OID, "stxname", TEXT,
        "stxnamespace", OID, "stxowner", OID, "stxstattarget", INT4, "stxkeys", TEXT, "stxkind", TEXT));
    m.put("pg_publication", VirtualTable.empty("oid", OID, "pubname", TEXT, "pubowner", OID,
        "puballtables", BOOL, "pubinsert", BOOL, "pubupdate", BOOL, "pubdelete", BOOL, "pubtruncate", BOOL,
        "pubviaroot", BOOL));
    m.put("pg_publication_rel", VirtualTable.empty("oid", OID, "prpubid", OID, "prrelid", OID,
        "prqual", TEXT, "prattrs", TEXT));
    m.put("pg_publication_namespace", VirtualTable.empty("oid", OID, "pnpubid", OID, "pnnspid", OID));
    m.put("pg_trigger", VirtualTable.empty("oid", OID, "tgrelid", OID, "tgname", TEXT, "tgisinternal", BOOL,
        "tgenabled", TEXT));
    m.put("pg_rewrite", VirtualTable.empty("oid", OID, "rulename", TEXT, "ev_class", OID));
    m.put("pg_sequence", VirtualTable.of(r -> {
      for (Catalog.SequenceDesc s : sequences()) {
        r.add(PgOids.relation(s.id()), PgType.INT8.oid(), s.start(), s.increment(), s.max(), s.min(), 1, false);
      }
    }, "seqrelid", OID, "seqtypid", OID, "seqstart", VirtualTable.Kind.INT8, "seqincrement",
        VirtualTable.Kind.INT8, "seqmax", VirtualTable.Kind.INT8, "seqmin", VirtualTable.Kind.INT8,
        "seqcache", VirtualTable.Kind.INT8, "seqcycle", BOOL));
    m.put("$indexdef", VirtualTable.of(r -> {
      for (TableDesc t : tables()) {
        for (TableDesc.Index ix : t.indexes()) {
          if (PgOids.visible(t, ix)) {
            long oid = PgOids.index(t.id(), ix.id());
            r.add(oid, 0, PgDefinitions.indexDef(t, ix));
            for (int k = 0; k < ix.columns().length; k++) {
              r.add(oid, k + 1, PgDefinitions.quoteIdent(t.columns().get(ix.columns()[k]).name()));
            }
          }
        }
      }
    }, "$indexrelid", OID, "$colno", INT4, "$def", TEXT));
    PgViewRelations.add(m, catalog, databaseId, tables(), systemRelations);
    m.put("$constraintdef", VirtualTable.of(r -> {
      for (TableDesc t : tables()) {
        for (TableDesc.Index ix : t.indexes()) {
          if (isConstraint(t, ix)) {
            r.add(PgOids.constraint(t.id(), ix.id()), PgDefinitions.constraintDef(t, ix));
          }
        }
        for (int i = 0; i < t.checks().size(); i++) {
          r.add(PgOids.checkConstraint(t.id(), i), "CHECK (" + t.checks().get(i).expr() + ")");
        }
        for (int i = 0; i < t.foreignKeys().size(); i++) {
          TableDesc.ForeignKey f = t.foreignKeys().get(i);
          r.add(PgOids.foreignKey(t.id(), i), PgDefinitions.foreignKeyDef(t, f, catalog.tables().get(f.refTable())));
        }
      }
    }, "$oid", OID, "$def", TEXT));
    return m;
  }

  /** Settings tools ask pg_settings for (name, value, vartype). */
  private static final String[][] SETTINGS = {
      {"max_index_keys", "32", "integer"}, {"max_identifier_length", "63", "integer"},
      {"server_version", "16.0", "string"}, {"server_version_num", "160000", "integer"},
      {"server_encoding", "UTF8", "string"}, {"client_encoding", "UTF8", "string"},
      {"standard_conforming_strings", "on", "bool"}, {"integer_datetimes", "on", "bool"},
      {"default_transaction_isolation", "serializable", "enum"}, {"block_size", "8192", "integer"}};

  private static boolean isConstraint(TableDesc t, TableDesc.Index ix) {
    return PgOids.visible(t, ix) && (ix.id() == TableDesc.PRIMARY_INDEX_ID || PgOids.isUniqueConstraint(ix));
  }

  private void classRows(VirtualTable.Rows r, Map<String, Long> systemRelations) {
    for (TableDesc t : tables()) {
      long ns = PgOids.namespace(t.schema());
      boolean hasIndex = false;
      for (TableDesc.Index ix : t.indexes()) {
        if (PgOids.visible(t, ix)) {
          hasIndex = true;
          r.add(PgOids.index(t.id(), ix.id()), ix.name(), ns, 0, 0, PgOids.ROOT_ROLE, PgOids.BTREE_AM,
              PgOids.index(t.id(), ix.id()), 0, 1, 0f, 0, 0, false, false, "p", "i", ix.columns().length, 0,
              false, false, false, false, false, true, "n", false, 0, null, null, null);
        }
      }
      r.add(PgOids.relation(t.id()), t.name(), ns, 0, 0, PgOids.ROOT_ROLE, PgOids.HEAP_AM,
          PgOids.relation(t.id()), 0, 0, -1f, 0, 0, hasIndex, false, "p", "r",
          // NB: relhastriggers stays false although foreign keys exist: psql would then also send
          // a trigger query with "… WITH ORDINALITY" in FROM, which the grammar cannot parse (docs/sql.md).
          PgOids.visibleColumns(t).size(), t.checks().size(), false, false, false, false, false, true, "d", false, 0,
          null, null, null);
    }
    for (Catalog.SequenceDesc s : sequences()) {
      r.add(PgOids.relation(s.id()), s.name(), PgOids.namespace(s.schema()), 0, 0, PgOids.ROOT_ROLE, 0,
          PgOids.relation(s.id()), 0, 1, 1f, 0, 0, false, false, "p", "S", 3, 0, false, false, false,
          false, false, true, "n", false, 0, null, null, null);
    }
    PgViewRelations.classRows(r, catalog, databaseId);
    for (Map.Entry<String, Long> e : systemRelations.entrySet()) {
      String name = e.getKey();
      long ns = name.startsWith("pg_") ? PgOids.PG_CATALOG : PgOids.INFORMATION_SCHEMA;
      r.add(e.getValue(), name, ns, 0, 0, PgOids.ROOT_ROLE, ns == PgOids.PG_CATALOG ? PgOids.HEAP_AM : 0,
          0, 0, 0, -1f, 0, 0, false, false, "p", ns == PgOids.PG_CATALOG ? "r" : "v", 0, 0, false, false,
          false, false, false, true, "n", false, 0, null, null, null);
    }
  }

  private void attributeRows(VirtualTable.Rows r) {
    for (TableDesc t : PgViewRelations.withViewShapes(tables(), catalog, databaseId)) {
      for (int i = 0; i < t.columns().size(); i++) {
        TableDesc.Column c = t.columns().get(i);
        if (c.hidden()) {
          continue;
        }
        PgType pg = c.type().pg();
        boolean collatable = pg == PgType.TEXT || pg == PgType.VARCHAR || pg == PgType.BPCHAR;
        r.add(PgOids.relation(t.id()), c.name(), pg.oid(), -1, pg.length(), PgOids.attnum(t, i), 0, -1,
            c.type().typmod(), pg.length() > 0 && pg.length() <= 8, "i", "p", "", !c.nullable(),
            PgDefinitions.defaultExpr(c) != null, false, "", "", false, true, 0,
            collatable ? PgOids.DEFAULT_COLLATION : 0, null, null, null);
      }
    }
  }

  private static void typeRows(VirtualTable.Rows r) {
    for (PgType t : PgType.values()) {
      boolean collatable = t == PgType.TEXT || t == PgType.VARCHAR || t == PgType.BPCHAR || t == PgType.NAME;
      String category = switch (t) {
        case BOOL -> "B";
        case INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC, OID, REGCLASS, REGTYPE, REGPROC -> "N";
        case TEXT, VARCHAR, BPCHAR, NAME, CHAR -> "S";
        case DATE, TIME, TIMESTAMP, TIMESTAMPTZ -> "D";
        case INTERVAL -> "T";
        case UNKNOWN -> "X";
        default -> t.isArray() ? "A" : "U";
      };
      // arrays: typelem names the element, the element's typarray the array (pgjdbc's TypeInfoCache reads both)
      String io = t.isArray() ? "array_" : t.typname();
      r.add(t.oid(), t.typname(), PgOids.PG_CATALOG, PgOids.ROOT_ROLE, t.length(),
          t.length() > 0 && t.length() <= 8, t == PgType.UNKNOWN ? "p" : "b", category, false, true, ",", 0,
          t.isArray() ? t.elem().oid() : 0, t.arrayType() == null ? 0 : t.arrayType().oid(), io + "in",
          io + "out", io + "recv", io + "send", t.isArray() ? "d" : "i", t.isArray() ? "x" : "p",
          false, 0, -1, 0, collatable || t.isArray() && t.elem() != null && (t.elem() == PgType.TEXT
              || t.elem() == PgType.VARCHAR || t.elem() == PgType.BPCHAR) ? PgOids.DEFAULT_COLLATION : 0, null, null);
    }
  }

  private void indexRows(VirtualTable.Rows r) {
    for (TableDesc t : tables()) {
      for (TableDesc.Index ix : t.indexes()) {
        if (!PgOids.visible(t, ix)) {
          continue;
        }
        List<Short> key = new ArrayList<>();
        List<Short> option = new ArrayList<>();
        for (int k = 0; k < ix.columns().length; k++) {
          key.add((short) PgOids.attnum(t, ix.columns()[k]));
          option.add((short) (ix.descending()[k] ? 3 : 0));
        }
        int n = ix.columns().length;
        r.add(PgOids.index(t.id(), ix.id()), PgOids.relation(t.id()), n, n, ix.unique(), false,
            ix.id() == TableDesc.PRIMARY_INDEX_ID, false, true, false, true, false, true, true, false,
            key, null, null, option, null, null);
      }
    }
  }

  private void constraintRows(VirtualTable.Rows r) {
    for (TableDesc t : tables()) {
      for (TableDesc.Index ix : t.indexes()) {
        if (!isConstraint(t, ix)) {
          continue;
        }
        List<Short> key = new ArrayList<>();
        for (int c : ix.columns()) {
          key.add((short) PgOids.attnum(t, c));
        }
        r.add(PgOids.constraint(t.id(), ix.id()), ix.name(), PgOids.namespace(t.schema()),
            ix.id() == TableDesc.PRIMARY_INDEX_ID ? "p" : "u", false, false, true, PgOids.relation(t.id()), 0,
            PgOids.index(t.id(), ix.id()), 0, 0, " ", " ", " ", true, 0, true, key,
            null, null);
      }
      for (int i = 0; i < t.checks().size(); i++) {
        TableDesc.Check c = t.checks().get(i);
        r.add(PgOids.checkConstraint(t.id(), i), c.name(), PgOids.namespace(t.schema()), "c", false, false, true,
            PgOids.relation(t.id()), 0, 0, 0, 0, " ", " ", " ", true, 0, false, attnums(t, c.columns()), null, c.expr());
      }
      for (int i = 0; i < t.foreignKeys().size(); i++) {
        TableDesc.ForeignKey f = t.foreignKeys().get(i);
        TableDesc p = catalog.tables().get(f.refTable());
        TableDesc.Index ix = p == null ? null : referencedIndex(p, f.refColumns());
        r.add(PgOids.foreignKey(t.id(), i), f.name(), PgOids.namespace(t.schema()), "f", false, false, true,
            PgOids.relation(t.id()), 0, ix == null ? 0 : PgOids.index(p.id(), ix.id()), 0, PgOids.relation(f.refTable()),
            String.valueOf(f.onUpdate().code), String.valueOf(f.onDelete().code), "s", true, 0, true,
            attnums(t, f.columns()), p == null ? null : attnums(p, f.refColumns()), null);
      }
    }
  }

  private static List<Short> attnums(TableDesc t, int[] cols) {
    List<Short> key = new ArrayList<>();
    for (int c : cols) {
      key.add((short) PgOids.attnum(t, c));
    }
    return key;
  }

  /** The unique index of {@code t} over exactly {@code cols} (pg_constraint.conindid of a foreign key). */
  private static TableDesc.Index referencedIndex(TableDesc t, int[] cols) {
    for (TableDesc.Index ix : t.indexes()) {
      if (ix.unique() && ix.columns().length == cols.length
          && java.util.Arrays.equals(java.util.Arrays.stream(ix.columns()).sorted().toArray(),
              java.util.Arrays.stream(cols).sorted().toArray())) {
        return ix;
      }
    }
    return null;
  }
}
