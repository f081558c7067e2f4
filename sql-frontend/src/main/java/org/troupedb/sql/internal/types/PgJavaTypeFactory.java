package org.troupedb.sql.internal.types;

import java.lang.reflect.Field;
import java.lang.reflect.Type;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Planner;

/**
 * Calcite's Java type factory, except that a {@code UUID} value is a {@link java.util.UUID} in
 * generated code. NB: calcite-core 1.41's factory maps UUID to {@code Object}, so the code it
 * generates for a uuid column read from a table (a cast to text, a comparison with a string)
 * calls {@code SqlFunctions.uuidToString(Object)} and does not compile.
 */
public final class PgJavaTypeFactory extends JavaTypeFactoryImpl {
  public PgJavaTypeFactory(RelDataTypeSystem typeSystem) {
    super(typeSystem);
  }

  /**
   * Text is UTF-16 (Java's strings), as Calcite's parser types E'…' and U&'…' literals: with
   * Calcite's default ISO-8859-1, a literal outside Latin-1 ({@code '€'}) failed to convert (XX000)
   * and an E'…' literal met other text as an incomparable character set.
   */
  @Override
  public java.nio.charset.Charset getDefaultCharset() {
    return java.nio.charset.StandardCharsets.UTF_16LE;
  }

  @Override
  public Type getJavaClass(RelDataType type) {
    if (type.getSqlTypeName() == SqlTypeName.UUID) {
      return java.util.UUID.class;
    }
    return super.getJavaClass(type);
  }

  private static final Field PLANNER_TYPE_FACTORY;

  static {
    try {
      PLANNER_TYPE_FACTORY = org.apache.calcite.prepare.PlannerImpl.class.getDeclaredField("typeFactory");
      PLANNER_TYPE_FACTORY.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Puts this factory into a planner that has parsed (so has made its own factory) and not yet
   * validated. NB: Calcite's {@code PlannerImpl} creates a {@code JavaTypeFactoryImpl} of its own
   * and has no way to be given one; its private field is set instead (checked at class load).
   */
  public static void install(Planner planner, RelDataTypeSystem typeSystem) {
    try {
      PLANNER_TYPE_FACTORY.set(planner, new PgJavaTypeFactory(typeSystem));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
