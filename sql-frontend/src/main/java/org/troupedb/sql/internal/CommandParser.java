package org.troupedb.sql.internal;

import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.Lexer.Kind;
import org.troupedb.sql.internal.Lexer.Token;

/**
 * Parses one statement into a {@link Command}: DDL, transaction control, SET/SHOW by hand;
 * queries and DML are handed to Calcite with {@code $n} mapped to {@code ?}.
 *
 * <p>NB: a bridge until the Calcite grammar extension (org.troupedb.sql.parser) carries these
 * statements; it works on tokens, never on raw text.
 */
public final class CommandParser {
  private final String sql;
  /** Where {@link #sql} starts in the statement (EXPLAIN parses its tail): error positions add it. */
  private final int base;
  private final List<Token> toks;
  private int p;

  private CommandParser(String sql, int base) throws SqlException {
    this.sql = sql;
    this.base = base;
    this.toks = Lexer.tokenize(sql);
  }

  public static Command parse(String sql) throws SqlException {
    return new CommandParser(sql, 0).statement();
  }

  private Token peek() {
    return toks.get(p);
  }

  private Token next() {
    return toks.get(p++);
  }

  private boolean accept(String w) {
    if (peek().is(w)) {
      p++;
      return true;
    }
    return false;
  }

  private void expect(String w) throws SqlException {
    if (!accept(w)) {
      throw syntax();
    }
  }

  private SqlException syntax() {
    Token t = peek();
    // PostgreSQL quotes the token as written (case and quotes kept) and points at it.
    return new SqlException(SqlState.SYNTAX_ERROR, t.kind() == Kind.EOF
        ? "syntax error at end of input" : "syntax error at or near \"" + sql.substring(t.start(), t.end()) + "\"",
        null, null, base + t.start() + 1, null);
  }

  private String ident() throws SqlException {
    Token t = next();
    if (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED) {
      if (peek().is(".")) { // schema-qualified: keep the object name, schema must be public
        p++;
        return ident();
      }
      return t.text();
    }
    p--;
    throw syntax();
  }

  private void end() throws SqlException {
    if (peek().kind() != Kind.EOF) {
      throw syntax();
    }
  }

  private Command statement() throws SqlException {
    Token first = peek();
    if (first.kind() == Kind.EOF) {
      return new Command.Empty();
    }
    switch (first.text()) {
      case "select", "values", "with", "insert", "update", "delete", "upsert", "(" -> {
        return query();
      }
      case "explain" -> {
        p++;
        while (accept("analyze") || accept("verbose")) {
          // options ignored
        }
        CommandParser inner = new CommandParser(sql.substring(peek().start()), base + peek().start());
        return new Command.Explain(inner.statement());
      }
      case "begin", "start" -> {
        p++;
        if (first.text().equals("start")) {
          expect("transaction");
        } else {
          if (!accept("transaction")) {
            accept("work");
          }
        }
        return new Command.TxnControl("BEGIN", readOnlyMode());
      }
      case "commit", "end" -> {
        p++;
        return new Command.TxnControl("COMMIT");
      }
      case "rollback", "abort" -> {
        p++;
        return new Command.TxnControl("ROLLBACK");
      }
      case "set" -> {
        return set();
      }
      case "reset" -> {
        p++;
        String name = accept("all") ? "all" : ident();
        return new Command.SetVar(name, null);
      }
      case "show" -> {
        p++;
        StringBuilder name = new StringBuilder();
        while (peek().kind() != Kind.EOF) {
          name.append(name.length() > 0 ? " " : "").append(next().text());
        }
        String n = name.toString();
        if (n.equals("time zone")) {
          n = "timezone";
        } else if (n.equals("transaction isolation level")) {
          n = "transaction_isolation";
        }
        return new Command.Show(n);
      }
      case "create" -> {
        return create();
      }
      case "drop" -> {
        return drop();
      }
      case "alter" -> {
        p++;
        if (!accept("table")) {
          throw SqlException.unsupported("ALTER " + peek().text().toUpperCase());
        }
        ifExists();
        accept("only");
        String table = ident();
        if (!accept("add")) {
          throw SqlException.unsupported("this ALTER TABLE action");
        }
        if (accept("constraint")) {
          ident();
        }
        if (accept("primary")) {
          expect("key");
          List<String> cols = identList();
          end();
          return new Command.AlterTable(table, null, cols);
        }
        if (peek().is("unique") || peek().is("foreign") || peek().is("check")) {
          throw SqlException.unsupported("ALTER TABLE ADD " + peek().text().toUpperCase());
        }
        accept("column");
        Command.ColumnDef def = columnDef();
        end();
        return new Command.AlterTable(table, def, null);
      }
      case "vacuum", "analyze" -> {
        // Storage is maintained by the ranges (MVCC GC); statistics are not collected yet.
        return new Command.NoOp(first.text().toUpperCase());
      }
      case "truncate" -> {
        p++;
        accept("table");
        List<String> names = new ArrayList<>();
        do {
          names.add(ident());
        } while (accept(","));
        return new Command.Truncate(names);
      }
      default -> throw unsupportedOrSyntax(first);
    }
  }

  private SqlException unsupportedOrSyntax(Token first) {
    if (first.kind() == Kind.WORD && List.of("grant", "revoke", "copy",
        "listen", "notify", "declare", "fetch", "close", "prepare", "execute", "deallocate", "lock",
        "comment", "discard", "savepoint", "release", "merge", "call", "do").contains(first.text())) {
      return SqlException.unsupported(first.text().toUpperCase());
    }
    return syntax();
  }

  private Command query() throws SqlException {
    String verb = peek().text();
    String tag = switch (verb) {
      case "insert", "upsert" -> "INSERT";
      case "update" -> "UPDATE";
      case "delete" -> "DELETE";
      default -> "SELECT";
    };
    // Find the top-level RETURNING and ON CONFLICT clauses (bridge until the grammar has them).
    int depth = 0;
    int returningAt = -1;
    int conflictAt = -1;
    for (int i = 0; i < toks.size(); i++) {
      Token t = toks.get(i);
      if (t.is("(")) {
        depth++;
      } else if (t.is(")")) {
        depth--;
      } else if (depth == 0 && t.is("returning") && !tag.equals("SELECT") && returningAt < 0) {
        returningAt = i;
      } else if (depth == 0 && t.is("on") && toks.get(i + 1).is("conflict") && tag.equals("INSERT")
          && conflictAt < 0) {
        conflictAt = i;
      }
    }
    int mainEnd = toks.size() - 1;
    if (conflictAt >= 0) {
      mainEnd = conflictAt;
    } else if (returningAt >= 0) {
      mainEnd = returningAt;
    }
    String returning = null;
    if (returningAt >= 0) {
      checkNoParams(returningAt, toks.size() - 1, "RETURNING");
      returning = sql.substring(toks.get(returningAt + 1).start()).trim();
      if (returning.isEmpty()) {
        throw syntax();
      }
    }
    Command.OnConflict onConflict = null;
    if (conflictAt >= 0) {
      int end = returningAt >= 0 ? returningAt : toks.size() - 1;
      checkNoParams(conflictAt, end, "ON CONFLICT");
      onConflict = onConflict(conflictAt + 2, end);
    }
    boolean upsert = verb.equals("upsert");
    if (upsert) {
      onConflict = new Command.OnConflict(List.of(), null, true);
    }
    StringBuilder out = new StringBuilder();
    int max = 0;
    int last = 0;
    int limit = toks.get(mainEnd).start();
    for (int i = 0; i < mainEnd; i++) {
      Token t = toks.get(i);
      if (i == 0 && upsert) {
        out.append("insert");
        last = t.end();
      } else if (t.kind() == Kind.PARAM) {
        // The grammar parses $n as a dynamic parameter with index n - 1 ($1 twice is one parameter).
        int n = Integer.parseInt(t.text());
        if (n < 1) {
          throw new SqlException(SqlState.UNDEFINED_PARAMETER, "there is no parameter $" + n);
        }
        max = Math.max(max, n);
      }
    }
    out.append(sql, last, limit);
    int[] pm = java.util.stream.IntStream.range(0, max).toArray();
    return new Command.Query(tag, out.toString().trim(), pm, max, returning, onConflict);
  }

  private void checkNoParams(int from, int to, String clause) throws SqlException {
    for (int i = from; i < to; i++) {
      if (toks.get(i).kind() == Kind.PARAM) {
        throw SqlException.unsupported("parameters in " + clause);
      }
    }
  }

  private Command.OnConflict onConflict(int from, int end) throws SqlException {
    p = from;
    List<String> cols = new ArrayList<>();
    if (peek().is("(")) {
      cols = identList();
    } else if (accept("on")) {
      expect("constraint");
      ident();
    }
    expect("do");
    if (accept("nothing")) {
      if (p != end) {
        throw syntax();
      }
      return new Command.OnConflict(cols, null, false);
    }
    expect("update");
    if (!peek().is("set")) {
      throw syntax();
    }
    String update = "UPDATE \"$target$\" " + sql.substring(peek().start(), toks.get(end).start());
    return new Command.OnConflict(cols, update, false);
  }

  private Command set() throws SqlException {
    p++;
    if (!accept("session")) {
      accept("local");
    }
    String name;
    if (accept("time")) {
      expect("zone");
      name = "timezone";
    } else if (peek().is("transaction")) {
      p++;
      return new Command.SetVar("transaction", readOnlyMode() ? "read only" : "ignored");
    } else if (peek().is("characteristics")) {
      return new Command.SetVar("transaction", "ignored");
    } else {
      name = ident();
      if (!accept("to")) {
        expect("=");
      }
    }
    StringBuilder value = new StringBuilder();
    while (peek().kind() != Kind.EOF) {
      Token t = next();
      if (t.is(",")) {
        value.append(", ");
        continue;
      }
      value.append(t.text());
    }
    if (value.length() == 0) {
      throw syntax();
    }
    return new Command.SetVar(name.toLowerCase(), value.toString());
  }

  /**
   * Whether the remaining transaction modes ({@code ISOLATION LEVEL …}, {@code READ ONLY|WRITE},
   * {@code [NOT] DEFERRABLE}) include READ ONLY. Every isolation level runs as SERIALIZABLE.
   */
  private boolean readOnlyMode() {
    boolean readOnly = false;
    while (peek().kind() != Kind.EOF) {
      if (accept("read")) {
        if (accept("only")) {
          readOnly = true;
        } else if (accept("write")) {
          readOnly = false;
        }
      } else {
        p++;
      }
    }
    return readOnly;
  }

  private boolean ifNotExists() throws SqlException {
    if (accept("if")) {
      expect("not");
      expect("exists");
      return true;
    }
    return false;
  }

  private boolean ifExists() throws SqlException {
    if (accept("if")) {
      expect("exists");
      return true;
    }
    return false;
  }

  private Command create() throws SqlException {
    p++;
    if (accept("database")) {
      boolean ine = ifNotExists();
      String name = ident();
      return new Command.CreateDatabase(name, ine);
    }
    boolean unique = accept("unique");
    if (accept("index")) {
      boolean ine = ifNotExists();
      String name = peek().is("on") ? null : ident();
      expect("on");
      String table = ident();
      List<String> cols = new ArrayList<>();
      List<Boolean> desc = new ArrayList<>();
      expect("(");
      do {
        cols.add(ident());
        boolean descending = accept("desc");
        if (!descending) {
          accept("asc");
        }
        desc.add(descending);
      } while (accept(","));
      expect(")");
      end();
      return new Command.CreateIndex(name, table, unique, cols, desc, ine);
    }
    if (unique) {
      throw syntax();
    }
    if (accept("sequence")) {
      boolean ine = ifNotExists();
      String name = ident();
      long inc = 1;
      Long start = null;
      Long min = null;
      Long max = null;
      while (peek().kind() != Kind.EOF) {
        if (accept("increment")) {
          accept("by");
          inc = number();
        } else if (accept("start")) {
          accept("with");
          start = number();
        } else if (accept("minvalue")) {
          min = number();
        } else if (accept("maxvalue")) {
          max = number();
        } else if (accept("no")) {
          if (!accept("minvalue") && !accept("maxvalue")) {
            expect("cycle");
          }
        } else if (accept("cache")) {
          number();
        } else {
          throw syntax();
        }
      }
      return new Command.CreateSequence(name, ine, inc, start, min, max);
    }
    accept("temp");
    accept("temporary");
    if (!accept("table")) {
      Token t = peek();
      if (t.kind() == Kind.WORD) {
        throw SqlException.unsupported("CREATE " + t.text().toUpperCase());
      }
      throw syntax();
    }
    boolean ine = ifNotExists();
    String name = ident();
    expect("(");
    List<Command.ColumnDef> cols = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    List<List<String>> uniques = new ArrayList<>();
    do {
      if (accept("constraint")) {
        ident();
      }
      if (accept("primary")) {
        expect("key");
        pk.addAll(identList());
      } else if (accept("unique")) {
        uniques.add(identList());
      } else if (peek().is("foreign") || peek().is("check")) {
        throw SqlException.unsupported(peek().text().toUpperCase() + " constraint");
      } else {
        cols.add(columnDef());
      }
    } while (accept(","));
    expect(")");
    if (accept("with")) { // storage parameters (fillfactor, …): accepted and ignored
      expect("(");
      int depth = 1;
      while (depth > 0 && peek().kind() != Kind.EOF) {
        Token t = next();
        depth += t.is("(") ? 1 : t.is(")") ? -1 : 0;
      }
    }
    end();
    return new Command.CreateTable(name, ine, cols, pk, uniques);
  }

  private long number() throws SqlException {
    boolean neg = accept("-");
    Token t = next();
    if (t.kind() != Kind.NUMBER) {
      p--;
      throw syntax();
    }
    long v = Long.parseLong(t.text());
    return neg ? -v : v;
  }

  private List<String> identList() throws SqlException {
    expect("(");
    List<String> out = new ArrayList<>();
    do {
      out.add(ident());
    } while (accept(","));
    expect(")");
    return out;
  }

  private Command.ColumnDef columnDef() throws SqlException {
    String name = ident();
    boolean serial = false;
    ColumnType type;
    String t = next().text();
    switch (t) {
      case "serial", "serial4" -> {
        type = ColumnType.of(PgType.INT4);
        serial = true;
      }
      case "bigserial", "serial8" -> {
        type = ColumnType.of(PgType.INT8);
        serial = true;
      }
      case "smallserial", "serial2" -> {
        type = ColumnType.of(PgType.INT2);
        serial = true;
      }
      case "bool", "boolean" -> type = ColumnType.of(PgType.BOOL);
      case "smallint", "int2" -> type = ColumnType.of(PgType.INT2);
      case "int", "integer", "int4" -> type = ColumnType.of(PgType.INT4);
      case "bigint", "int8" -> type = ColumnType.of(PgType.INT8);
      case "real", "float4" -> type = ColumnType.of(PgType.FLOAT4);
      case "float8" -> type = ColumnType.of(PgType.FLOAT8);
      case "float" -> {
        int prec = optLen(53);
        type = ColumnType.of(prec <= 24 ? PgType.FLOAT4 : PgType.FLOAT8);
      }
      case "double" -> {
        expect("precision");
        type = ColumnType.of(PgType.FLOAT8);
      }
      case "numeric", "decimal" -> {
        if (accept("(")) {
          int prec = (int) number();
          int scale = accept(",") ? (int) number() : 0;
          expect(")");
          if (prec < 1 || prec > 1000 || scale < 0 || scale > prec) {
            throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, "NUMERIC precision " + prec
                + " must be between 1 and 1000");
          }
          type = new ColumnType(PgType.NUMERIC, prec, scale);
        } else {
          type = ColumnType.of(PgType.NUMERIC);
        }
      }
      case "varchar" -> type = new ColumnType(PgType.VARCHAR, optLen(-1), -1);
      case "character", "char" -> {
        if (accept("varying")) {
          type = new ColumnType(PgType.VARCHAR, optLen(-1), -1);
        } else {
          type = new ColumnType(PgType.BPCHAR, optLen(1), -1);
        }
      }
      case "bpchar" -> type = new ColumnType(PgType.BPCHAR, optLen(1), -1);
      case "text", "string" -> type = ColumnType.of(PgType.TEXT);
      case "bytea" -> type = ColumnType.of(PgType.BYTEA);
      case "date" -> type = ColumnType.of(PgType.DATE);
      case "timestamp" -> {
        optLen(6);
        if (accept("with")) {
          expect("time");
          expect("zone");
          type = ColumnType.of(PgType.TIMESTAMPTZ);
        } else {
          if (accept("without")) {
            expect("time");
            expect("zone");
          }
          type = ColumnType.of(PgType.TIMESTAMP);
        }
      }
      case "timestamptz" -> {
        optLen(6);
        type = ColumnType.of(PgType.TIMESTAMPTZ);
      }
      default -> throw new SqlException(SqlState.UNDEFINED_OBJECT, "type \"" + t + "\" does not exist");
    }
    if (peek().is("[")) {
      throw SqlException.unsupported("array types");
    }
    boolean notNull = false;
    boolean primaryKey = false;
    boolean unique = false;
    String def = null;
    while (true) {
      if (accept("not")) {
        expect("null");
        notNull = true;
      } else if (accept("null")) {
        notNull = false;
      } else if (accept("primary")) {
        expect("key");
        primaryKey = true;
      } else if (accept("unique")) {
        unique = true;
      } else if (accept("default")) {
        int start = peek().start();
        int depth = 0;
        int endPos = start;
        while (peek().kind() != Kind.EOF) {
          Token k = peek();
          if (depth == 0 && (k.is(",") || k.is(")") || k.is("not") || k.is("null") || k.is("primary")
              || k.is("unique") || k.is("check") || k.is("references") || k.is("constraint"))) {
            break;
          }
          if (k.is("(")) {
            depth++;
          } else if (k.is(")")) {
            depth--;
          }
          endPos = k.end();
          p++;
        }
        def = sql.substring(start, endPos);
      } else if (accept("constraint")) {
        ident();
      } else if (peek().is("references") || peek().is("check") || peek().is("generated")
          || peek().is("collate")) {
        throw SqlException.unsupported(peek().text().toUpperCase() + " in a column definition");
      } else {
        break;
      }
    }
    return new Command.ColumnDef(name, type, notNull || primaryKey, primaryKey, unique, def, serial);
  }

  private int optLen(int dflt) throws SqlException {
    if (accept("(")) {
      int n = (int) number();
      expect(")");
      return n;
    }
    return dflt;
  }

  private Command drop() throws SqlException {
    p++;
    if (accept("table")) {
      boolean ie = ifExists();
      List<String> names = new ArrayList<>();
      do {
        names.add(ident());
      } while (accept(","));
      if (!accept("cascade")) {
        accept("restrict");
      }
      end();
      return new Command.DropTable(names, ie);
    }
    if (accept("sequence")) {
      boolean ie = ifExists();
      List<String> names = new ArrayList<>();
      do {
        names.add(ident());
      } while (accept(","));
      return new Command.DropSequence(names, ie);
    }
    if (accept("database")) {
      boolean ie = ifExists();
      String name = ident();
      end();
      return new Command.DropDatabase(name, ie);
    }
    if (accept("index")) {
      accept("concurrently");
      boolean ie = ifExists();
      List<String> names = new ArrayList<>();
      do {
        names.add(ident());
      } while (accept(","));
      if (!accept("cascade")) {
        accept("restrict");
      }
      end();
      return new Command.DropIndex(names, ie);
    }
    Token t = peek();
    throw t.kind() == Kind.WORD ? SqlException.unsupported("DROP " + t.text().toUpperCase()) : syntax();
  }
}
