package org.troupedb.sql.parser.ast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] [table, ...]}, {@code VACUUM (option, ...)
 * [table, ...]} or {@code ANALYZE [VERBOSE] [table, ...]}: maintenance PostgreSQL tools such as
 * pgbench issue; MVCC garbage collection makes them no-ops for TroupeDB, but the tables should
 * exist.
 */
public final class SqlVacuum extends SqlCall {
  public static final SqlOperator OPERATOR =
      new SqlPgOperator("VACUUM", SqlKind.OTHER,
          (pos, o) -> new SqlVacuum(pos, (SqlNodeList) o[0], SqlPgOperator.flag(o[1]),
              SqlPgOperator.flag(o[2])));

  private final SqlNodeList tables;
  private final boolean vacuum;
  private final boolean analyze;

  public SqlVacuum(SqlParserPos pos, SqlNodeList tables, boolean vacuum, boolean analyze) {
    super(pos);
    this.tables = tables;
    this.vacuum = vacuum;
    this.analyze = analyze;
  }

  /** The tables named (empty for all tables). */
  public List<SqlIdentifier> tables() {
    List<SqlIdentifier> out = new ArrayList<>();
    for (SqlNode n : tables) {
      out.add((SqlIdentifier) n);
    }
    return out;
  }

  /** True for VACUUM, false for a bare ANALYZE. */
  public boolean vacuum() {
    return vacuum;
  }

  /** ANALYZE was asked for (the ANALYZE statement, or VACUUM ANALYZE). */
  public boolean analyze() {
    return analyze;
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return Arrays.asList(tables, SqlPgOperator.literal(vacuum), SqlPgOperator.literal(analyze));
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword(vacuum ? (analyze ? "VACUUM ANALYZE" : "VACUUM") : "ANALYZE");
    if (!tables.isEmpty()) {
      SqlWriter.Frame frame = writer.startList("", "");
      for (SqlNode t : tables) {
        writer.sep(",");
        t.unparse(writer, 0, 0);
      }
      writer.endList(frame);
    }
  }
}
