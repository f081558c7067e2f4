package org.troupedb.sql.internal.plan;

import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

/**
 * An execution's {@link DataContext} plus the values of the parameters a shared catalog plan made
 * of the statement's literals: {@code ?first}, {@code ?first+1}, … answer those values; anything
 * else is the execution's own (its parameters, transaction, time, user). NB: generated code asks
 * for a parameter once per row it evaluates, so the names are looked up, not parsed.
 */
final class BoundLiterals implements DataContext {
  private final DataContext execution;
  private final Map<String, Object> values;

  BoundLiterals(DataContext execution, Map<String, Object> values) {
    this.execution = execution;
    this.values = values;
  }

  /** The parameter names and values of literals bound from parameter {@code first} on. */
  static Map<String, Object> named(int first, Object[] values) {
    Map<String, Object> out = new HashMap<>();
    for (int i = 0; i < values.length; i++) {
      out.put("?" + (first + i), values[i]);
    }
    return out;
  }

  @Override
  public SchemaPlus getRootSchema() {
    return execution.getRootSchema();
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return execution.getTypeFactory();
  }

  @Override
  public QueryProvider getQueryProvider() {
    return execution.getQueryProvider();
  }

  @Override
  public Object get(String name) {
    Object v = values.get(name);
    return v != null || values.containsKey(name) ? v : execution.get(name);
  }
}
