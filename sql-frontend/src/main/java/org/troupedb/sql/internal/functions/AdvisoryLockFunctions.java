package org.troupedb.sql.internal.functions;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandTypeInference;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.locks.AdvisoryLocks;
import org.troupedb.sql.internal.locks.SessionAdvisoryLocks;

/**
 * PostgreSQL's advisory lock functions as SQL functions usable anywhere an expression is:
 * {@code pg_advisory_lock}, {@code pg_advisory_lock_shared}, {@code pg_try_advisory_lock},
 * {@code pg_try_advisory_lock_shared}, {@code pg_advisory_unlock}, {@code pg_advisory_unlock_shared},
 * {@code pg_advisory_unlock_all}, {@code pg_advisory_xact_lock}, {@code pg_advisory_xact_lock_shared},
 * {@code pg_try_advisory_xact_lock}, {@code pg_try_advisory_xact_lock_shared}; each with one bigint
 * key or two integer keys (two separate key spaces, as in PostgreSQL). Generated code calls the
 * static methods here with the execution's {@link DataContext}, whose {@link #SESSION_LOCKS} entry
 * is the session's {@link SessionAdvisoryLocks}. Strict: a NULL key gives NULL and locks nothing.
 *
 * <p>NB: void results ({@code pg_advisory_lock} and friends) are sent as an empty text value; the
 * column's type OID is text's (25), not void's (2278). Never folded while planning.
 */
public final class AdvisoryLockFunctions {
  /** The {@link DataContext} name under which an execution finds its session's advisory locks. */
  public static final String SESSION_LOCKS = "troupe.advisoryLocks";

  private AdvisoryLockFunctions() {}

  /** What a function does: its result ({@code blocking} false answers a boolean), mode and scope. */
  private record Kind(boolean lock, boolean shared, boolean xact, boolean blocking) {}

  private static Kind kind(String name) {
    boolean shared = name.endsWith("_shared");
    boolean xact = name.contains("_xact_");
    if (name.startsWith("pg_advisory_unlock")) {
      return new Kind(false, shared, false, false);
    }
    return new Kind(true, shared, xact, !name.startsWith("pg_try_"));
  }

  private static SessionAdvisoryLocks locks(DataContext root) {
    Object l = root.get(SESSION_LOCKS);
    if (l instanceof SessionAdvisoryLocks s) {
      return s;
    }
    throw new SqlRuntimeException(SqlException.unsupported("advisory locks outside a session"));
  }

  private static Boolean apply(DataContext root, String name, AdvisoryLocks.Key key) {
    Kind k = kind(name);
    SessionAdvisoryLocks l = locks(root);
    try {
      return k.lock() ? l.lock(key, k.shared(), k.xact(), k.blocking()) : l.unlock(key, k.shared());
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  /** A function of one bigint key answering boolean. NB: public for generated code. */
  public static Boolean bool1(DataContext root, String name, long key) {
    return apply(root, name, AdvisoryLocks.Key.of(key));
  }

  /** A function of two integer keys answering boolean. */
  public static Boolean bool2(DataContext root, String name, int high, int low) {
    return apply(root, name, AdvisoryLocks.Key.of(high, low));
  }

  /** A void function of one bigint key. */
  public static String void1(DataContext root, String name, long key) {
    apply(root, name, AdvisoryLocks.Key.of(key));
    return "";
  }

  /** A void function of two integer keys. */
  public static String void2(DataContext root, String name, int high, int low) {
    apply(root, name, AdvisoryLocks.Key.of(high, low));
    return "";
  }

  /** {@code pg_advisory_unlock_all()}. */
  public static String void0(DataContext root, String name) {
    locks(root).unlockAll();
    return "";
  }

  private static final SqlReturnTypeInference BOOL =
      ReturnTypes.explicit(SqlTypeName.BOOLEAN).andThen(SqlTypeTransforms.TO_NULLABLE);
  private static final SqlReturnTypeInference VOID =
      ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE);
  /** Parameters are bigint for the one-key form, integer for the two-key form. */
  private static final SqlOperandTypeInference KEYS = (binding, returnType, operandTypes) -> {
    SqlTypeName t = operandTypes.length == 1 ? SqlTypeName.BIGINT : SqlTypeName.INTEGER;
    for (int i = 0; i < operandTypes.length; i++) {
      operandTypes[i] = binding.getTypeFactory().createTypeWithNullability(
          binding.getTypeFactory().createSqlType(t), true);
    }
  };

  /** One function: its name, whether it answers boolean, and how the generated code calls it. */
  static final class LockFunction extends SqlUserDefinedFunction {
    private final SqlOperandTypeChecker checker;

    LockFunction(String name, boolean answersBoolean, boolean niladic) {
      super(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, answersBoolean ? BOOL : VOID,
          null, null, new Impl(name, answersBoolean));
      this.checker = niladic ? OperandTypes.NILADIC
          : OperandTypes.or(OperandTypes.family(SqlTypeFamily.INTEGER),
              OperandTypes.family(SqlTypeFamily.INTEGER, SqlTypeFamily.INTEGER));
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return checker.getOperandCountRange();
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      return checker.checkOperandTypes(binding, throwOnFailure);
    }

    @Override
    public SqlOperandTypeInference getOperandTypeInference() {
      return KEYS;
    }

    @Override
    public SqlFunctionCategory getFunctionType() {
      return SqlFunctionCategory.SYSTEM;
    }

    /** NB: a lock is taken each time the call runs, never once while planning. */
    @Override
    public boolean isDeterministic() {
      return false;
    }
  }

  private record Impl(String name, boolean answersBoolean) implements CodeFunction {
    @Override
    public CallImplementor getImplementor() {
      return RexImpTable.createImplementor((translator, call, operands) -> {
        Method m = method((answersBoolean ? "bool" : "void") + operands.size());
        List<Expression> args = new ArrayList<>();
        args.add(translator.getRoot());
        args.add(Expressions.constant(name));
        for (int i = 0; i < operands.size(); i++) {
          args.add(EnumUtils.convert(operands.get(i), m.getParameterTypes()[i + 2]));
        }
        return Expressions.call(m, args);
      }, NullPolicy.STRICT, false);
    }
  }

  private static Method method(String name) {
    for (Method m : AdvisoryLockFunctions.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalStateException("no method " + name);
  }

  private static final List<LockFunction> FUNCTIONS = functions();

  private static List<LockFunction> functions() {
    List<LockFunction> f = new ArrayList<>();
    for (String base : List.of("pg_advisory_lock", "pg_advisory_xact_lock")) {
      for (String suffix : List.of("", "_shared")) {
        f.add(new LockFunction(base + suffix, false, false));
        f.add(new LockFunction(base.replace("pg_", "pg_try_") + suffix, true, false));
      }
    }
    f.add(new LockFunction("pg_advisory_unlock", true, false));
    f.add(new LockFunction("pg_advisory_unlock_shared", true, false));
    f.add(new LockFunction("pg_advisory_unlock_all", false, true));
    return List.copyOf(f);
  }

  /** Function names, for pg_proc. */
  public static List<String> names() {
    return FUNCTIONS.stream().map(SqlOperator::getName).toList();
  }

  /** The functions as an operator table (names in any case). */
  public static final SqlOperatorTable TABLE = AnyCaseFunctionTable.of(FUNCTIONS);
}
