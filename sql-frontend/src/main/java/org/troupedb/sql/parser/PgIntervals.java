package org.troupedb.sql.parser;

import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.troupedb.sql.parser.ast.SqlPgTypeNameSpec;

/**
 * PostgreSQL's qualifier-less {@code INTERVAL 'text'}: the same as {@code CAST('text' AS
 * interval)}, a PostgreSQL interval of months, days and microseconds (see {@code PgIntervalType});
 * the text is read while planning ({@code LiteralCasts}), so a bad one fails at its position.
 */
public final class PgIntervals {
  private PgIntervals() {}

  /**
   * {@code CAST('text' AS interval)} at {@code pos}; the literal at its own column (where
   * PostgreSQL's errors point) when the token {@code image} has it on its first line.
   */
  public static SqlNode toCast(String text, String image, SqlParserPos pos) {
    int quote = image.indexOf('\'');
    SqlParserPos at = image.substring(0, quote).indexOf('\n') < 0 && image.substring(0, quote).indexOf('\r') < 0
        ? new SqlParserPos(pos.getLineNum(), pos.getColumnNum() + quote, pos.getEndLineNum(), pos.getEndColumnNum())
        : pos;
    return SqlStdOperatorTable.CAST.createCall(pos, SqlLiteral.createCharString(text, at),
        new SqlDataTypeSpec(new SqlPgTypeNameSpec("interval", SqlPgTypeNameSpec.UNSPECIFIED,
            SqlPgTypeNameSpec.UNSPECIFIED, false, pos), pos));
  }
}
