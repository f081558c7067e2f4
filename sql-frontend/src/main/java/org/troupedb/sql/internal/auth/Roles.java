package org.troupedb.sql.internal.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.troupedb.sql.ScramSha256;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.AuthCatalog.RoleDesc;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlCreateRole;
import org.troupedb.sql.parser.ast.SqlDropRole;

/**
 * CREATE / ALTER / DROP ROLE (and USER): role descriptors in the catalog, with PostgreSQL's
 * checks and errors. Passwords are stored only as SCRAM-SHA-256 verifiers; a password given
 * already in verifier form is stored as it is, as PostgreSQL does.
 */
final class Roles {
  private Roles() {}

  static String execute(StatementContext cx, SqlNode node) throws SqlException {
    if (node instanceof SqlCreateRole cr) {
      return cr.alter() ? alter(cx, cr) : create(cx, cr);
    }
    return drop(cx, (SqlDropRole) node);
  }

  /** The options of a CREATE/ALTER ROLE applied to {@code r}. */
  private static RoleDesc apply(RoleDesc r, SqlCreateRole cr) throws SqlException {
    Set<String> seen = new HashSet<>();
    for (SqlNode n : cr.options()) {
      SqlCall eq = (SqlCall) n;
      String name = ((SqlIdentifier) eq.operand(0)).getSimple();
      SqlLiteral value = (SqlLiteral) eq.operand(1);
      String base = name.startsWith("no") && !name.equals("nologin") ? name.substring(2) : name;
      if (name.equals("nologin")) {
        base = "login";
      }
      if (!name.equals("encrypted") && !seen.add(base)) {
        throw new SqlException(SqlState.SYNTAX_ERROR, "conflicting or redundant options");
      }
      boolean on = !name.startsWith("no");
      r = switch (base) {
        case "login" -> new RoleDesc(r.id(), r.name(), r.superuser(), on, r.createdb(), r.createrole(), r.password());
        case "superuser" -> new RoleDesc(r.id(), r.name(), on, r.login(), r.createdb(), r.createrole(), r.password());
        case "createdb" -> new RoleDesc(r.id(), r.name(), r.superuser(), r.login(), on, r.createrole(), r.password());
        case "createrole" -> new RoleDesc(r.id(), r.name(), r.superuser(), r.login(), r.createdb(), on, r.password());
        case "inherit", "encrypted" -> r;
        case "password" -> new RoleDesc(r.id(), r.name(), r.superuser(), r.login(), r.createdb(), r.createrole(),
            password(value));
        case "replication", "bypassrls" -> {
          if (on) {
            throw SqlException.unsupported("role option " + name.toUpperCase(java.util.Locale.ROOT));
          }
          yield r;
        }
        default -> throw new SqlException(SqlState.SYNTAX_ERROR, "unrecognized role option \"" + name + "\"");
      };
    }
    return r;
  }

  /** The verifier to store for PASSWORD value: null for NULL or '' (PostgreSQL clears it then). */
  static String password(SqlLiteral value) throws SqlException {
    if (value.getValue() == null) {
      return null;
    }
    if (value.getTypeName().getFamily() != org.apache.calcite.sql.type.SqlTypeFamily.CHARACTER) {
      throw new SqlException(SqlState.SYNTAX_ERROR, "syntax error at or near \"PASSWORD\"");
    }
    String text = value.getValueAs(String.class);
    if (text.isEmpty()) {
      return null;
    }
    return ScramSha256.isVerifier(text) ? text : ScramSha256.newVerifier(text).toString();
  }

  private static RoleDesc current(StatementContext cx) {
    return cx.catalog().auth().role(Privileges.currentUser(cx));
  }

  private static boolean superuser(RoleDesc r) {
    return r != null && r.superuser();
  }

  private static String create(StatementContext cx, SqlCreateRole cr) throws SqlException {
    String name = cr.name().getSimple();
    RoleDesc me = current(cx);
    if (!superuser(me) && (me == null || !me.createrole())) {
      throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied to create role");
    }
    checkReserved(name);
    if (cx.catalog().auth().role(name) != null) {
      throw new SqlException(SqlState.DUPLICATE_OBJECT, "role \"" + name + "\" already exists");
    }
    long id = cx.catalogs().nextId(cx.txn(), cx.cancel());
    RoleDesc r = apply(new RoleDesc(id, name, false, cr.user(), false, false, null), cr);
    if (r.superuser() && !superuser(me)) {
      throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "must be superuser to create superusers");
    }
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(id), List.of(r.serialize()), cx.cancel());
    return "CREATE ROLE";
  }

  private static String alter(StatementContext cx, SqlCreateRole cr) throws SqlException {
    String name = cr.name().getSimple();
    RoleDesc old = cx.catalog().auth().role(name);
    if (old == null) {
      throw new SqlException(SqlState.UNDEFINED_OBJECT, "role \"" + name + "\" does not exist");
    }
    RoleDesc me = current(cx);
    RoleDesc r = apply(old, cr);
    if (!superuser(me)) {
      boolean ownPasswordOnly = me != null && me.id() == old.id()
          && r.equals(new RoleDesc(old.id(), old.name(), old.superuser(), old.login(), old.createdb(),
              old.createrole(), r.password()));
      if (old.superuser() || r.superuser()) {
        throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE,
            "must be superuser to alter superuser roles or change superuser attribute");
      }
      if (!ownPasswordOnly && (me == null || !me.createrole())) {
        throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied");
      }
    }
    cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), List.of(r.id()), List.of(r.serialize()), cx.cancel());
    return "ALTER ROLE";
  }

  private static String drop(StatementContext cx, SqlDropRole dr) throws SqlException {
    RoleDesc me = current(cx);
    if (!superuser(me) && (me == null || !me.createrole())) {
      throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied to drop role");
    }
    List<Long> ids = new ArrayList<>();
    for (String name : dr.names()) {
      RoleDesc r = cx.catalog().auth().role(name);
      if (r == null) {
        if (dr.ifExists()) {
          continue; // PostgreSQL: NOTICE role "x" does not exist, skipping
        }
        throw new SqlException(SqlState.UNDEFINED_OBJECT, "role \"" + name + "\" does not exist");
      }
      if (me != null && r.id() == me.id()) {
        throw new SqlException("55006", "current user cannot be dropped");
      }
      if (r.id() == AuthCatalog.ROOT_ID) {
        throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
            "cannot drop role " + name + " because it is required by the database system");
      }
      if (r.superuser() && !superuser(me)) {
        throw new SqlException(SqlState.INSUFFICIENT_PRIVILEGE, "must be superuser to drop superusers");
      }
      String depends = Privileges.dependents(cx.catalog(), r.id());
      if (depends != null) {
        throw new SqlException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
            "role \"" + name + "\" cannot be dropped because some objects depend on it", depends, null, null);
      }
      ids.add(r.id());
    }
    if (!ids.isEmpty()) {
      byte[][] none = new byte[ids.size()][];
      cx.catalogs().writeDescriptors(cx.txn(), cx.catalog(), ids, Arrays.asList(none), cx.cancel());
    }
    return "DROP ROLE";
  }

  private static void checkReserved(String name) throws SqlException {
    if (name.equals("public") || name.equals("none")) {
      throw new SqlException("42939", "role name \"" + name + "\" is reserved");
    }
    if (name.startsWith("pg_")) {
      throw new SqlException("42939", "role name \"" + name + "\" is reserved",
          "Role names starting with \"pg_\" are reserved.", null, null);
    }
  }
}
