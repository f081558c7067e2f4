package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code GRANT privilege [, ...] ON target TO grantee [, ...]} and {@code REVOKE privilege [, ...]
 * ON target FROM grantee [, ...]}, where target is {@code [TABLE] t [, ...]}, {@code ALL TABLES IN
 * SCHEMA s [, ...]}, {@code DATABASE d [, ...]} or {@code SCHEMA s [, ...]}. Privileges are
 * lower-case names ({@code all} for ALL [PRIVILEGES]); a grantee {@code public} is PUBLIC.
 */
public final class SqlGrant extends SqlCall {
  /** What the privileges are on. */
  public enum Target { TABLE, ALL_TABLES_IN_SCHEMA, DATABASE, SCHEMA }

  public static final SqlOperator GRANT =
      new SqlPgOperator("GRANT", SqlKind.OTHER_DDL, (pos, o) -> create(pos, true, o));
  public static final SqlOperator REVOKE =
      new SqlPgOperator("REVOKE", SqlKind.OTHER_DDL, (pos, o) -> create(pos, false, o));

  private final boolean grant;
  private final SqlNodeList privileges;
  private final Target target;
  private final SqlNodeList objects;
  private final SqlNodeList grantees;
  private final boolean grantOption;

  /** {@code grantOption}: WITH GRANT OPTION was written (TroupeDB refuses it when run). */
  public SqlGrant(SqlParserPos pos, boolean grant, SqlNodeList privileges, Target target, SqlNodeList objects,
      SqlNodeList grantees, boolean grantOption) {
    super(pos);
    this.grant = grant;
    this.privileges = privileges;
    this.target = target;
    this.objects = objects;
    this.grantees = grantees;
    this.grantOption = grantOption;
  }

  private static SqlGrant create(SqlParserPos pos, boolean grant, SqlNode[] o) {
    return new SqlGrant(pos, grant, (SqlNodeList) o[0], ((SqlLiteral) o[1]).getValueAs(Target.class),
        (SqlNodeList) o[2], (SqlNodeList) o[3], SqlPgOperator.flag(o[4]));
  }

  /** True for GRANT, false for REVOKE. */
  public boolean grant() {
    return grant;
  }

  /** Privilege names as written, lower case ("all" for ALL [PRIVILEGES]). */
  public List<String> privileges() {
    return lastNames(privileges, true);
  }

  public Target target() {
    return target;
  }

  /** The objects' names (last part of each). */
  public List<String> objects() {
    return lastNames(objects, false);
  }

  /** The object identifiers as written (for error positions). */
  public SqlNodeList objectList() {
    return objects;
  }

  public boolean grantOption() {
    return grantOption;
  }

  /** Grantee role names ("public" for PUBLIC). */
  public List<String> grantees() {
    return lastNames(grantees, false);
  }

  private static List<String> lastNames(SqlNodeList list, boolean lower) {
    List<String> out = new ArrayList<>();
    for (SqlNode n : list) {
      SqlIdentifier id = (SqlIdentifier) n;
      String s = id.names.get(id.names.size() - 1);
      out.add(lower ? s.toLowerCase(Locale.ROOT) : s);
    }
    return out;
  }

  @Override
  public SqlOperator getOperator() {
    return grant ? GRANT : REVOKE;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(privileges, SqlLiteral.createSymbol(target, SqlParserPos.ZERO), objects, grantees,
        SqlPgOperator.literal(grantOption));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(grant ? "GRANT" : "REVOKE");
    privileges.unparse(writer, 0, 0);
    writer.keyword("ON");
    writer.keyword(target.name().replace('_', ' '));
    objects.unparse(writer, 0, 0);
    writer.keyword(grant ? "TO" : "FROM");
    grantees.unparse(writer, 0, 0);
  }
}
