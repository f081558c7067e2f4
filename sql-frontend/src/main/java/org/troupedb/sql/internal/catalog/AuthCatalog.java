package org.troupedb.sql.internal.catalog;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.troupedb.sql.ScramSha256;

/**
 * The roles and access-control lists of one catalog snapshot, loaded from descriptors 'R' (a role)
 * and 'A' (the ACL of one table, database or schema) beside the others in the system span.
 *
 * <p>{@code root} (id {@value #ROOT_ID}, PostgreSQL's bootstrap superuser OID) exists without a
 * descriptor until ALTER ROLE root writes one. An object without an ACL descriptor is owned by
 * root and has PostgreSQL's default privileges: none for tables, CONNECT and TEMPORARY to PUBLIC
 * for databases, USAGE to PUBLIC for schema public (PostgreSQL 15).
 */
public record AuthCatalog(Map<String, RoleDesc> rolesByName, Map<Long, RoleDesc> roles, Map<String, Acl> acls) {
  public static final long ROOT_ID = PgOids.ROOT_ROLE;
  /** The grantee id of PUBLIC in an ACL. */
  public static final long PUBLIC = 0;

  static final RoleDesc ROOT = new RoleDesc(ROOT_ID, "root", true, true, true, true, null);
  static final AuthCatalog EMPTY = build(Map.of(), Map.of());

  /** A role: its attributes and password verifier (PostgreSQL text form; null without a password). */
  public record RoleDesc(long id, String name, boolean superuser, boolean login, boolean createdb,
      boolean createrole, String password) {
    /** The OID pg_roles shows. */
    public long oid() {
      return id == ROOT_ID ? PgOids.ROOT_ROLE : PgOids.relation(id);
    }

    public byte[] serialize() {
      return Catalog.write(out -> {
        out.writeByte('R');
        out.writeLong(id);
        out.writeUTF(name);
        out.writeBoolean(superuser);
        out.writeBoolean(login);
        out.writeBoolean(createdb);
        out.writeBoolean(createrole);
        out.writeBoolean(password != null);
        if (password != null) {
          out.writeUTF(password);
        }
      });
    }

    static RoleDesc deserialize(DataInputStream in) throws IOException {
      long id = in.readLong();
      String name = in.readUTF();
      boolean s = in.readBoolean();
      boolean l = in.readBoolean();
      boolean db = in.readBoolean();
      boolean cr = in.readBoolean();
      return new RoleDesc(id, name, s, l, db, cr, in.readBoolean() ? in.readUTF() : null);
    }

    public ScramSha256.Verifier verifier() {
      return ScramSha256.parse(password);
    }
  }

  /** What an ACL is on. For SCHEMA, the object id is the database's (each has one schema, public). */
  public enum ObjectKind {
    TABLE('r'), DATABASE('d'), SCHEMA('n');

    final char code;

    ObjectKind(char code) {
      this.code = code;
    }

    static ObjectKind of(char code) {
      for (ObjectKind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalStateException("unknown ACL kind " + code);
    }
  }

  /** A privilege, with its aclitem letter. */
  public enum Privilege {
    SELECT('r'), INSERT('a'), UPDATE('w'), DELETE('d'), TRUNCATE('D'), REFERENCES('x'), TRIGGER('t'),
    CREATE('C'), CONNECT('c'), TEMPORARY('T'), USAGE('U');

    final char letter;

    Privilege(char letter) {
      this.letter = letter;
    }

    /** What GRANT ALL means on an object of {@code kind}. */
    public static Set<Privilege> all(ObjectKind kind) {
      return switch (kind) {
        case TABLE -> EnumSet.of(SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER);
        case DATABASE -> EnumSet.of(CREATE, CONNECT, TEMPORARY);
        case SCHEMA -> EnumSet.of(USAGE, CREATE);
      };
    }

    public int bit() {
      return 1 << ordinal();
    }
  }

  /**
   * The owner and grants of one object. {@code grants}: grantee role id ({@link #PUBLIC} for
   * PUBLIC) → privilege bits. {@code descId} is its descriptor's id (0 for a default ACL).
   */
  public record Acl(long descId, ObjectKind kind, long objectId, long owner, Map<Long, Integer> grants) {
    public static Acl defaults(ObjectKind kind, long objectId) {
      Map<Long, Integer> g = switch (kind) {
        case TABLE -> Map.of();
        case DATABASE -> Map.of(PUBLIC, Privilege.CONNECT.bit() | Privilege.TEMPORARY.bit());
        case SCHEMA -> Map.of(PUBLIC, Privilege.USAGE.bit());
      };
      return new Acl(0, kind, objectId, ROOT_ID, g);
    }

    /** The privileges {@code role} holds here directly or through PUBLIC (owners hold all). */
    boolean holds(long role, Privilege p) {
      if (role == owner) {
        return true;
      }
      return (grants.getOrDefault(role, 0) & p.bit()) != 0 || (grants.getOrDefault(PUBLIC, 0) & p.bit()) != 0;
    }

    public Acl withGrants(Map<Long, Integer> newGrants) {
      return new Acl(descId, kind, objectId, owner, Map.copyOf(newGrants));
    }

    public Acl withDescId(long id) {
      return new Acl(id, kind, objectId, owner, grants);
    }

    /** PostgreSQL's aclitem[] text ({@code {root=arwdDxt/root,=r/root}}), or null for a default ACL. */
    String text(AuthCatalog auth) {
      if (descId == 0) {
        return null;
      }
      StringBuilder sb = new StringBuilder("{");
      Map<Long, Integer> all = new LinkedHashMap<>();
      int ownerBits = 0;
      for (Privilege p : Privilege.all(kind)) {
        ownerBits |= p.bit();
      }
      all.put(owner, ownerBits);
      grants.forEach((k, v) -> all.merge(k, v, (a, b) -> a | b));
      String ownerName = auth.nameOf(owner);
      boolean first = true;
      for (Map.Entry<Long, Integer> e : all.entrySet()) {
        if (e.getValue() == 0) {
          continue;
        }
        sb.append(first ? "" : ",").append(e.getKey() == PUBLIC ? "" : auth.nameOf(e.getKey())).append('=');
        for (Privilege p : Privilege.values()) {
          if ((e.getValue() & p.bit()) != 0) {
            sb.append(p.letter);
          }
        }
        sb.append('/').append(ownerName);
        first = false;
      }
      return sb.append('}').toString();
    }

    public byte[] serialize() {
      return Catalog.write(out -> {
        out.writeByte('A');
        out.writeLong(descId);
        out.writeByte(kind.code);
        out.writeLong(objectId);
        out.writeLong(owner);
        out.writeInt(grants.size());
        for (Map.Entry<Long, Integer> e : new TreeMap<>(grants).entrySet()) {
          out.writeLong(e.getKey());
          out.writeInt(e.getValue());
        }
      });
    }

    static Acl deserialize(DataInputStream in) throws IOException {
      long id = in.readLong();
      ObjectKind kind = ObjectKind.of((char) in.readByte());
      long object = in.readLong();
      long owner = in.readLong();
      int n = in.readInt();
      Map<Long, Integer> g = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        g.put(in.readLong(), in.readInt());
      }
      return new Acl(id, kind, object, owner, Map.copyOf(g));
    }
  }

  static AuthCatalog build(Map<Long, RoleDesc> roles, Map<String, Acl> acls) {
    Map<Long, RoleDesc> byId = new TreeMap<>(roles);
    byId.putIfAbsent(ROOT_ID, ROOT);
    Map<String, RoleDesc> byName = new TreeMap<>();
    for (RoleDesc r : byId.values()) {
      byName.put(r.name(), r);
    }
    return new AuthCatalog(Map.copyOf(byName), Map.copyOf(byId), Map.copyOf(acls));
  }

  static String aclKey(ObjectKind kind, long objectId) {
    return kind.code + ":" + objectId;
  }

  /** A role by name, or null. */
  public RoleDesc role(String name) {
    return rolesByName.get(name);
  }

  /** A role's name by id ("unknown (OID=…)" for a dropped one, as pg_get_userbyid). */
  public String nameOf(long id) {
    RoleDesc r = roles.get(id);
    return r != null ? r.name() : "unknown (OID=" + id + ")";
  }

  /** The ACL of an object: its descriptor's, or the defaults. */
  public Acl acl(ObjectKind kind, long objectId) {
    Acl a = acls.get(aclKey(kind, objectId));
    return a != null ? a : Acl.defaults(kind, objectId);
  }

  /**
   * Whether role {@code roleName} holds {@code p} on an object: superusers hold everything; an
   * unknown role nothing.
   */
  public boolean holds(String roleName, ObjectKind kind, long objectId, Privilege p) {
    RoleDesc r = role(roleName);
    if (r == null) {
      return false;
    }
    return r.superuser() || acl(kind, objectId).holds(r.id(), p);
  }
}
