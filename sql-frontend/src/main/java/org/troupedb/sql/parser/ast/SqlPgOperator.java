package org.troupedb.sql.parser.ast;

import java.util.Arrays;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * The operator of a TroupeDB statement node; {@link #createCall} rebuilds the node from its
 * operand list, so Calcite's {@code SqlShuttle} and {@code SqlNode.clone} work on our nodes.
 */
public final class SqlPgOperator extends SqlSpecialOperator {

  /** Builds a node of this operator from the operands its {@code getOperandList()} returned. */
  @FunctionalInterface
  public interface Factory {
    SqlCall create(SqlParserPos pos, SqlNode[] operands);
  }

  private final Factory factory;

  public SqlPgOperator(String name, SqlKind kind, Factory factory) {
    super(name, kind);
    this.factory = factory;
  }

  @Override
  public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos, SqlNode... operands) {
    return factory.create(pos, Arrays.copyOf(operands, operands.length));
  }

  static boolean flag(SqlNode node) {
    return node != null && ((SqlLiteral) node).booleanValue();
  }

  static SqlLiteral literal(boolean value) {
    return SqlLiteral.createBoolean(value, SqlParserPos.ZERO);
  }
}
