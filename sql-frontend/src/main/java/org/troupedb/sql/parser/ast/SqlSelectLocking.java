package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A query followed by {@code FOR UPDATE | FOR NO KEY UPDATE | FOR SHARE | FOR KEY SHARE
 * [OF table, ...] [NOWAIT | SKIP LOCKED]}.
 */
public final class SqlSelectLocking extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("FOR UPDATE", SqlKind.OTHER,
          (pos, o) -> new SqlSelectLocking(pos, o[0],
              ((SqlLiteral) o[1]).getValueAs(LockStrength.class), (SqlNodeList) o[2],
              SqlPgOperator.flag(o[3]), SqlPgOperator.flag(o[4])));

  private final SqlNode query;
  private final LockStrength strength;
  private final SqlNodeList ofTables;
  private final boolean nowait;
  private final boolean skipLocked;

  public SqlSelectLocking(SqlParserPos pos, SqlNode query, LockStrength strength,
      SqlNodeList ofTables, boolean nowait, boolean skipLocked) {
    super(pos);
    this.query = query;
    this.strength = strength;
    this.ofTables = ofTables;
    this.nowait = nowait;
    this.skipLocked = skipLocked;
  }

  /** The locked query (a SqlSelect, or SqlOrderBy around one). */
  public SqlNode query() {
    return query;
  }

  public LockStrength strength() {
    return strength;
  }

  /** The tables of {@code OF t, ...}, or null (all tables of the query). */
  public SqlNodeList ofTables() {
    return ofTables;
  }

  /** NOWAIT: fail at once (SQLSTATE 55P03) instead of waiting for a lock. */
  public boolean nowait() {
    return nowait;
  }

  /** SKIP LOCKED: leave out rows another transaction has locked. */
  public boolean skipLocked() {
    return skipLocked;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(query, SqlLiteral.createSymbol(strength, SqlParserPos.ZERO), ofTables,
        SqlPgOperator.literal(nowait), SqlPgOperator.literal(skipLocked));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    query.unparse(writer, 0, 0);
    writer.keyword(strength.sql());
    if (ofTables != null) {
      writer.keyword("OF");
      SqlWriter.Frame frame = writer.startList("", "");
      for (SqlNode t : ofTables) {
        writer.sep(",");
        t.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
    if (nowait) {
      writer.keyword("NOWAIT");
    }
    if (skipLocked) {
      writer.keyword("SKIP LOCKED");
    }
  }
}
