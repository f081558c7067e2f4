package org.troupedb.sql.internal;

import java.util.List;

/** A parsed statement, as the session executes it. */
public sealed interface Command {

  /** The command tag verb. */
  String tag();

  /**
   * A statement Calcite plans (SELECT, VALUES, INSERT, UPDATE, DELETE). {@code sql} uses {@code ?}
   * dynamic parameters; {@code paramMap[i]} is the 0-based {@code $n} index of parameter i.
   */
  record Query(String tag, String sql, int[] paramMap, int parameterCount, String returning,
      OnConflict onConflict) implements Command {}

  /**
   * INSERT's ON CONFLICT clause: {@code updateSql} is {@code UPDATE <table> SET … [WHERE …]} for
   * DO UPDATE (null for DO NOTHING); {@code upsert} replaces every non-key target column.
   */
  record OnConflict(List<String> columns, String updateSql, boolean upsert) {}

  /** One column of CREATE TABLE. */
  record ColumnDef(String name, ColumnType type, boolean notNull, boolean primaryKey, boolean unique,
      String defaultSql, boolean serial) {}

  record CreateTable(String name, boolean ifNotExists, List<ColumnDef> columns, List<String> primaryKey,
      List<List<String>> uniques) implements Command {
    public String tag() {
      return "CREATE TABLE";
    }
  }

  record CreateDatabase(String name, boolean ifNotExists) implements Command {
    public String tag() {
      return "CREATE DATABASE";
    }
  }

  record DropDatabase(String name, boolean ifExists) implements Command {
    public String tag() {
      return "DROP DATABASE";
    }
  }

  /** ALTER TABLE: exactly one of {@code addColumn} and {@code addPrimaryKey} is set. */
  record AlterTable(String table, ColumnDef addColumn, List<String> addPrimaryKey) implements Command {
    public String tag() {
      return "ALTER TABLE";
    }
  }

  record DropTable(List<String> names, boolean ifExists) implements Command {
    public String tag() {
      return "DROP TABLE";
    }
  }

  record CreateIndex(String name, String table, boolean unique, List<String> columns,
      List<Boolean> descending, boolean ifNotExists) implements Command {
    public String tag() {
      return "CREATE INDEX";
    }
  }

  record DropIndex(List<String> names, boolean ifExists) implements Command {
    public String tag() {
      return "DROP INDEX";
    }
  }

  record CreateSequence(String name, boolean ifNotExists, long increment, Long start, Long min, Long max)
      implements Command {
    public String tag() {
      return "CREATE SEQUENCE";
    }
  }

  record DropSequence(List<String> names, boolean ifExists) implements Command {
    public String tag() {
      return "DROP SEQUENCE";
    }
  }

  record Truncate(List<String> names) implements Command {
    public String tag() {
      return "TRUNCATE TABLE";
    }
  }

  /** BEGIN, COMMIT, ROLLBACK (tag says which); {@code readOnly}: BEGIN … READ ONLY. */
  record TxnControl(String tag, boolean readOnly) implements Command {
    TxnControl(String tag) {
      this(tag, false);
    }
  }

  /** SET name = value (value null: RESET). */
  record SetVar(String name, String value) implements Command {
    public String tag() {
      return value == null ? "RESET" : "SET";
    }
  }

  record Show(String name) implements Command {
    public String tag() {
      return "SHOW";
    }
  }

  record Explain(Command inner) implements Command {
    public String tag() {
      return "EXPLAIN";
    }
  }

  /** A statement accepted for compatibility that has nothing to do here (VACUUM, ANALYZE). */
  record NoOp(String tag) implements Command {}

  /** A statement that does nothing (e.g. an empty query). */
  record Empty() implements Command {
    public String tag() {
      return "";
    }
  }
}
