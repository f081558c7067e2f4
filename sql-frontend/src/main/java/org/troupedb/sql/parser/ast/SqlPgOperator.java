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

  /** The simple names of an optional list of identifiers, in order (empty for null). */
  static java.util.List<String> simpleNames(org.apache.calcite.sql.SqlNodeList names) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (names != null) {
      for (SqlNode n : names) {
        out.add(((org.apache.calcite.sql.SqlIdentifier) n).getSimple());
      }
    }
    return out;
  }

  static boolean flag(SqlNode node) {
    return node != null && ((SqlLiteral) node).booleanValue();
  }

  static SqlLiteral literal(boolean value) {
    return SqlLiteral.createBoolean(value, SqlParserPos.ZERO);
  }
}
