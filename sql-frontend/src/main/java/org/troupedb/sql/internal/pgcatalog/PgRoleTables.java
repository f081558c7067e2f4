package org.troupedb.sql.internal.pgcatalog;

import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.BOOL;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.INT4;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.OID;
import static org.troupedb.sql.internal.pgcatalog.VirtualTable.Kind.TEXT;

import java.util.Map;
import org.apache.calcite.schema.Table;
import org.troupedb.sql.internal.AuthCatalog;
import org.troupedb.sql.internal.AuthCatalog.RoleDesc;

/**
 * pg_authid, pg_roles and pg_user over the catalog's roles. As in PostgreSQL, only pg_authid shows
 * the password verifier; pg_roles and pg_user show {@code ********} for it.
 */
final class PgRoleTables {
  private PgRoleTables() {}

  private static final String HIDDEN = "********";

  static void add(Map<String, Table> m, AuthCatalog auth) {
    m.put("pg_authid", roles(auth, true));
    m.put("pg_roles", roles(auth, false));
    m.put("pg_user", VirtualTable.of(r -> {
      for (RoleDesc role : auth.roles().values()) {
        if (role.login()) {
          r.add(role.name(), role.oid(), role.createdb(), role.superuser(), false, false, HIDDEN, null, null);
        }
      }
    }, "usename", TEXT, "usesysid", OID, "usecreatedb", BOOL, "usesuper", BOOL, "userepl", BOOL,
        "usebypassrls", BOOL, "passwd", TEXT, "valuntil", TEXT, "useconfig", TEXT));
  }

  private static VirtualTable roles(AuthCatalog auth, boolean verifiers) {
    return VirtualTable.of(r -> {
      for (RoleDesc role : auth.roles().values()) {
        r.add(role.oid(), role.name(), role.superuser(), true, role.createrole(), role.createdb(), role.login(),
            false, false, -1, verifiers ? role.password() : HIDDEN, null, null);
      }
    }, "oid", OID, "rolname", TEXT, "rolsuper", BOOL, "rolinherit", BOOL,
        "rolcreaterole", BOOL, "rolcreatedb", BOOL, "rolcanlogin", BOOL, "rolreplication", BOOL,
        "rolbypassrls", BOOL, "rolconnlimit", INT4, "rolpassword", TEXT, "rolvaliduntil", TEXT, "rolconfig", TEXT);
  }
}
