package org.troupedb.sql.internal;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

/**
 * An execution's {@link DataContext} plus the values of the parameters a shared catalog plan made
 * of the statement's literals: {@code ?first}, {@code ?first+1}, … answer those values; anything
 * else is the execution's own (its parameters, transaction, time, user).
 */
final class BoundLiterals implements DataContext {
  private final DataContext execution;
  private final int first;
  private final Object[] values;

  BoundLiterals(DataContext execution, int first, Object[] values) {
    this.execution = execution;
    this.first = first;
    this.values = values;
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
    if (name.startsWith("?")) {
      int i = Integer.parseInt(name.substring(1));
      if (i >= first) {
        return values[i - first];
      }
    }
    return execution.get(name);
  }
}
