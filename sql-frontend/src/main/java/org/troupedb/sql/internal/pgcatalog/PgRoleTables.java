package org.troupedb.sql.internal.pgcatalog;

import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.BOOL;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT4;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.OID;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.TEXT;

import java.util.List;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.AuthCatalog.ObjectKind;
import org.troupedb.sql.internal.catalog.AuthCatalog.Privilege;
import org.troupedb.sql.internal.catalog.AuthCatalog.RoleDesc;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.PgOids;
import org.troupedb.sql.internal.catalog.TableDesc;

/**
 * pg_authid, pg_roles and pg_user over the catalog's roles. As in PostgreSQL, only pg_authid shows
 * the password verifier; pg_roles and pg_user show {@code ********} for it.
 */
final class PgRoleTables {
  private PgRoleTables() {}

  private static final String HIDDEN = "********";

  static void add(Map<String, Table> m, Catalog catalog, long databaseId, List<TableDesc> tables) {
    AuthCatalog auth = catalog.auth();
    m.put("$privileges", privileges(catalog, databaseId, tables));
    m.put("pg_authid", roles(auth, true));
    m.put("pg_roles", roles(auth, false));
    m.put("pg_user", VirtualTable.of(r -> {
      for (RoleDesc role : auth.roles().values()) {
        if (role.login()) {
          r.add(role.name(), role.oid(), role.createdb(), role.superuser(), bootstrap(role), bootstrap(role), HIDDEN,
              null, null);
        }
      }
    }, "usename", TEXT, "usesysid", OID, "usecreatedb", BOOL, "usesuper", BOOL, "userepl", BOOL,
        "usebypassrls", BOOL, "passwd", TEXT, "valuntil", TEXT, "useconfig", TEXT));
  }

  /**
   * Every (role, object, privilege) that holds, for has_table_privilege / has_database_privilege /
   * has_schema_privilege (see {@link PgCatalogRewrites}): kind 'r' tables of this database (by name
   * and OID), 'd' databases, 'n' schema public.
   */
  private static VirtualTable privileges(Catalog catalog, long databaseId, List<TableDesc> tables) {
    AuthCatalog auth = catalog.auth();
    return VirtualTable.of(r -> {
      for (RoleDesc role : auth.roles().values()) {
        for (TableDesc t : tables) {
          add(r, auth, role, ObjectKind.TABLE, t.id(), t.name(), PgOids.relation(t.id()));
        }
        for (Catalog.Database d : catalog.databases().values()) {
          add(r, auth, role, ObjectKind.DATABASE, d.id(), d.name(), PgOids.relation(d.id()));
        }
        add(r, auth, role, ObjectKind.SCHEMA, databaseId, "public", PgOids.PUBLIC);
      }
    }, "$kind", TEXT, "$user", TEXT, "$name", TEXT, "$oid", TEXT, "$privilege", TEXT);
  }

  private static void add(VirtualTable.Rows r, AuthCatalog auth, RoleDesc role, ObjectKind kind, long id,
      String name, long oid) {
    for (Privilege p : Privilege.values()) {
      if (auth.holds(role.name(), kind, id, p)) {
        r.add(kind.name(), role.name(), name, Long.toString(oid), p.name());
      }
    }
  }

  /** The bootstrap superuser also has REPLICATION and BYPASSRLS (roles TroupeDB cannot create). */
  private static boolean bootstrap(RoleDesc role) {
    return role.id() == AuthCatalog.ROOT_ID;
  }

  private static VirtualTable roles(AuthCatalog auth, boolean verifiers) {
    return VirtualTable.of(r -> {
      for (RoleDesc role : auth.roles().values()) {
        r.add(role.oid(), role.name(), role.superuser(), true, role.createrole(), role.createdb(), role.login(),
            bootstrap(role), bootstrap(role), -1, verifiers ? role.password() : HIDDEN, null, null);
      }
    }, "oid", OID, "rolname", TEXT, "rolsuper", BOOL, "rolinherit", BOOL,
        "rolcreaterole", BOOL, "rolcreatedb", BOOL, "rolcanlogin", BOOL, "rolreplication", BOOL,
        "rolbypassrls", BOOL, "rolconnlimit", INT4, "rolpassword", TEXT, "rolvaliduntil", TEXT, "rolconfig", TEXT);
  }
}
