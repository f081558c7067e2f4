package org.troupedb.sql.internal.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.AuthCatalog.Acl;
import org.troupedb.sql.internal.catalog.AuthCatalog.ObjectKind;
import org.troupedb.sql.internal.catalog.AuthCatalog.Privilege;
import org.troupedb.sql.internal.catalog.AuthCatalog.RoleDesc;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.Names;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlAlterTable;
import org.troupedb.sql.parser.ast.SqlCreateDatabase;
import org.troupedb.sql.parser.ast.SqlCreateIndex;
import org.troupedb.sql.parser.ast.SqlCreateRole;
import org.troupedb.sql.parser.ast.SqlCreateSequence;
import org.troupedb.sql.parser.ast.SqlCreateTable;
import org.troupedb.sql.parser.ast.SqlDropDatabase;
import org.troupedb.sql.parser.ast.SqlDropIndex;
import org.troupedb.sql.parser.ast.SqlDropRole;
import org.troupedb.sql.parser.ast.SqlDropSequence;
import org.troupedb.sql.parser.ast.SqlDropTable;
import org.troupedb.sql.parser.ast.SqlGrant;
import org.troupedb.sql.parser.ast.SqlTruncateTable;

/**
 * GRANT / REVOKE and the privilege checks every statement passes, against the ACLs of
 * {@link AuthCatalog}. Superusers pass every check; an object's owner holds every privilege on it.
 *
 * <p>Checks run on every execution, against the catalog snapshot of that execution and the
 * session's role, never at plan time only: plans are cached and shared between sessions.
 *
 * <p>Table statements need PostgreSQL's privileges: SELECT to read (the tables a query scans), INSERT,
 * UPDATE, DELETE on the target (NB: the target's own columns read by UPDATE/DELETE … WHERE need no
 * SELECT here, which PostgreSQL would require), TRUNCATE; ALTER, DROP and indexes need ownership.
 * Creating a table or sequence needs CREATE on schema public (PostgreSQL 15: not granted to PUBLIC),
 * which {@code GRANT CREATE ON SCHEMA public} gives; connecting needs CONNECT on the database
 * (granted to PUBLIC unless revoked).
 */
public final class Privileges {
  private Privileges() {}

  /** The session's role name (the authenticated user; NB: never a SET-able variable). */
  public static String currentUser(StatementContext cx) {
    return cx.user();
  }

  /**
   * Runs a role or GRANT/REVOKE statement (returning its tag), or checks the privileges another
   * DDL statement needs (returning null: run it).
   */
  public static String executeOrCheck(StatementContext cx, SqlNode node) throws SqlException {
    if (node instanceof SqlCreateRole || node instanceof SqlDropRole) {
      return Roles.execute(cx, node);
    }
    if (node instanceof SqlGrant g) {
      return grant(cx, g);
    }
    checkDdl(cx, node);
    return null;
  }

  private static RoleDesc me(StatementContext cx) {
    return cx.catalog().auth().role(currentUser(cx));
  }

  public static boolean superuser(StatementContext cx) {
    RoleDesc r = me(cx);
    return r != null && r.superuser();
  }

  private static void checkDdl(StatementContext cx, SqlNode node) throws SqlException {
    if (superuser(cx)) {
      return;
    }
    long db = cx.databaseId();
    if (node instanceof SqlCreateTable || node instanceof SqlCreateSequence
        || node instanceof org.troupedb.sql.parser.ast.SqlCreateTableAs
        || node instanceof org.troupedb.sql.parser.ast.SqlCreateView
        || node instanceof org.troupedb.sql.parser.ast.SqlDropView
        || node instanceof org.troupedb.sql.parser.ast.SqlComment) {
      require(cx, ObjectKind.SCHEMA, db, Privilege.CREATE, "schema public");
    } else if (node instanceof SqlTruncateTable tr) {
      for (SqlIdentifier id : tr.names()) {
        TableDesc t = Names.table(cx.database(), cx.catalog(), id);
        require(cx, ObjectKind.TABLE, t.id(), Privilege.TRUNCATE, "table " + t.name());
      }
    } else if (node instanceof SqlDropTable dt) {
      for (SqlIdentifier id : dt.names()) {
        TableDesc t = cx.catalog().table(db, "public", Names.objectName(cx.database(), id));
        if (t != null) {
          requireOwner(cx, t);
        }
      }
    } else if (node instanceof SqlAlterTable at) {
      TableDesc t = cx.catalog().table(db, "public", Names.objectName(cx.database(), at.name()));
      if (t != null) {
        requireOwner(cx, t);
      }
    } else if (node instanceof SqlCreateIndex ci) {
      requireOwner(cx, Names.table(cx.database(), cx.catalog(), ci.table()));
    } else if (node instanceof SqlDropIndex di) {
      String name = Names.objectName(cx.database(), di.name());
      for (TableDesc t : cx.catalog().tables().values()) {
        if (t.databaseId() == db && t.indexes().stream().anyMatch(i -> i.name().equals(name))) {
          requireOwner(cx, t);
        }
      }
    } else if (node instanceof SqlDropSequence) {
      require(cx, ObjectKind.SCHEMA, db, Privilege.CREATE, "schema public");
    } else if (node instanceof SqlCreateDatabase) {
      RoleDesc r = me(cx);
      if (r == null || !r.createdb()) {
        throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied to create database");
      }
    } else if (node instanceof SqlDropDatabase dd) {
      Catalog.Database d = cx.catalog().database(dd.name().getSimple());
      RoleDesc r = me(cx);
      if (d != null && (r == null || cx.catalog().auth().acl(ObjectKind.DATABASE, d.id()).owner() != r.id())) {
        throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "must be owner of database " + d.name());
      }
    }
  }

  private static void requireOwner(StatementContext cx, TableDesc t) throws SqlException {
    RoleDesc r = me(cx);
    if (r == null || cx.catalog().auth().acl(ObjectKind.TABLE, t.id()).owner() != r.id()) {
      throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "must be owner of table " + t.name());
    }
  }

  private static void require(StatementContext cx, ObjectKind kind, long id, Privilege p, String what)
      throws SqlException {
    if (!cx.catalog().auth().holds(currentUser(cx), kind, id, p)) {
      throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for " + what);
    }
  }

  /** 42501 unless the session may use privilege {@code p} on table {@code t}. */
  public static void checkTable(StatementContext cx, TableDesc t, Privilege p) throws SqlException {
    require(cx, ObjectKind.TABLE, t.id(), p, "table " + t.name());
  }

  /** 42501 unless the session may read every table in {@code tableIds}. */
  public static void checkSelect(StatementContext cx, Set<Long> tableIds) throws SqlException {
    for (long id : tableIds) {
      if (id == QueryPlanner.PG_AUTHID) {
        // pg_authid holds the password verifiers: superusers only, as in PostgreSQL
        throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for table pg_authid");
      }
      TableDesc t = cx.catalog().tables().get(id);
      if (t != null) {
        checkTable(cx, t, Privilege.SELECT);
      }
    }
  }

  /** 42501 unless {@code user} may connect to database {@code d}. */
  public static void checkConnect(Catalog cat, String user, Catalog.Database d) throws SqlException {
    if (!cat.auth().holds(user, ObjectKind.DATABASE, d.id(), Privilege.CONNECT)) {
      throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for database \"" + d.name() + "\"",
          "User does not have CONNECT privilege.", null, null);
    }
  }

  /** Records the session's role as the owner of a new object (root, the default owner, needs no record). */
  public static void recordOwner(StatementContext cx, ObjectKind kind, long objectId) throws SqlException {
    RoleDesc r = me(cx);
    if (r == null || r.id() == AuthCatalog.ROOT_ID) {
      return;
    }
    List<Long> ids = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    // A database's owner owns its schema public too (PostgreSQL 15: pg_database_owner).
    for (ObjectKind k : kind == ObjectKind.DATABASE ? List.of(kind, ObjectKind.SCHEMA) : List.of(kind)) {
      long descId = cx.catalogs().nextId(cx.txn(), cx.cancel());
      ids.add(descId);
      bytes.add(new Acl(descId, k, objectId, r.id(), Acl.defaults(k, objectId).grants()).serialize());
    }
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), ids, bytes, cx.cancel());
  }

  /** What depends on role {@code id} (for DROP ROLE's detail), or null if nothing. */
  static String dependents(Catalog cat, long id) {
    List<String> lines = new ArrayList<>();
    for (Acl a : cat.auth().acls().values()) {
      String what = objectName(cat, a.kind(), a.objectId());
      if (what == null) {
        continue;
      }
      if (a.owner() == id) {
        lines.add("owner of " + what);
      } else if (a.grants().getOrDefault(id, 0) != 0) {
        lines.add("privileges for " + what);
      }
    }
    return lines.isEmpty() ? null : String.join("\n", lines);
  }

  private static String objectName(Catalog cat, ObjectKind kind, long id) {
    return switch (kind) {
      case TABLE -> cat.tables().containsKey(id) ? "table " + cat.tables().get(id).name() : null;
      case DATABASE -> cat.databases().containsKey(id) ? "database " + cat.databases().get(id).name() : null;
      case SCHEMA -> cat.databases().containsKey(id) ? "schema public" : null;
    };
  }

  // ------------------------------------------------------------------ GRANT / REVOKE

  private record Target(ObjectKind kind, long id, String name) {}

  private static String grant(StatementContext cx, SqlGrant g) throws SqlException {
    if (g.grantOption()) {
      throw SqlException.unsupported("WITH GRANT OPTION");
    }
    List<Target> targets = targets(cx, g);
    ObjectKind kind = switch (g.target()) {
      case TABLE, ALL_TABLES_IN_SCHEMA -> ObjectKind.TABLE;
      case DATABASE -> ObjectKind.DATABASE;
      case SCHEMA -> ObjectKind.SCHEMA;
    };
    int bits = 0;
    for (String p : g.privileges()) {
      for (Privilege priv : privileges(p, kind)) {
        bits |= priv.bit();
      }
    }
    List<Long> grantees = new ArrayList<>();
    for (String name : g.grantees()) {
      if (name.equals("public")) {
        grantees.add(AuthCatalog.PUBLIC);
      } else {
        RoleDesc r = cx.catalog().auth().role(name);
        if (r == null) {
          throw new SqlException(SqlState.UNDEFINED_OBJECT, "role \"" + name + "\" does not exist");
        }
        grantees.add(r.id());
      }
    }
    RoleDesc me = me(cx);
    List<Long> ids = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    for (Target t : targets) {
      Acl acl = cx.catalog().auth().acl(t.kind(), t.id());
      if (me == null || !me.superuser() && acl.owner() != me.id()) {
        throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for " + t.name());
      }
      Map<Long, Integer> grants = new HashMap<>(acl.grants());
      for (long grantee : grantees) {
        int now = grants.getOrDefault(grantee, 0);
        int next = g.grant() ? now | bits : now & ~bits;
        if (next == 0) {
          grants.remove(grantee);
        } else {
          grants.put(grantee, next);
        }
      }
      Acl updated = acl.withGrants(grants);
      if (updated.descId() == 0) {
        updated = updated.withDescId(cx.catalogs().nextId(cx.txn(), cx.cancel()));
      }
      ids.add(updated.descId());
      bytes.add(updated.serialize());
    }
    if (!ids.isEmpty()) {
      cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), ids, bytes, cx.cancel());
    }
    return g.grant() ? "GRANT" : "REVOKE";
  }

  private static List<Target> targets(StatementContext cx, SqlGrant g) throws SqlException {
    List<Target> out = new ArrayList<>();
    long db = cx.databaseId();
    for (String name : g.objects()) {
      switch (g.target()) {
        case TABLE -> {
          TableDesc t = cx.catalog().table(db, "public", name);
          if (t == null) {
            throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist");
          }
          out.add(new Target(ObjectKind.TABLE, t.id(), "table " + t.name()));
        }
        case ALL_TABLES_IN_SCHEMA -> {
          checkSchema(name);
          for (TableDesc t : cx.catalog().tables().values()) {
            if (t.databaseId() == db) {
              out.add(new Target(ObjectKind.TABLE, t.id(), "table " + t.name()));
            }
          }
        }
        case DATABASE -> {
          Catalog.Database d = cx.catalog().database(name);
          if (d == null) {
            throw new SqlException(SqlState.UNDEFINED_DATABASE, "database \"" + name + "\" does not exist");
          }
          out.add(new Target(ObjectKind.DATABASE, d.id(), "database " + d.name()));
        }
        case SCHEMA -> {
          checkSchema(name);
          out.add(new Target(ObjectKind.SCHEMA, db, "schema public"));
        }
      }
    }
    return out;
  }

  private static void checkSchema(String name) throws SqlException {
    if (!name.equals("public")) {
      throw new SqlException(SqlState.INVALID_SCHEMA_NAME, "schema \"" + name + "\" does not exist");
    }
  }

  /** The privileges a name written in GRANT means on {@code kind}; 0LP01 if none. */
  static Set<Privilege> privileges(String name, ObjectKind kind) throws SqlException {
    if (name.equals("all")) {
      return Privilege.all(kind);
    }
    Privilege p = switch (name) {
      case "temp", "temporary" -> Privilege.TEMPORARY;
      default -> {
        try {
          yield Privilege.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new SqlException(SqlState.SYNTAX_ERROR, "unrecognized privilege type \"" + name + "\"");
        }
      }
    };
    if (!Privilege.all(kind).contains(p)) {
      throw new SqlException("0LP01", "invalid privilege type " + p.name() + " for "
          + kind.name().toLowerCase(java.util.Locale.ROOT).replace("table", "relation"));
    }
    return EnumSet.of(p);
  }
}
