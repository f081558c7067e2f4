package org.troupedb.sql.internal.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.CopyIn;
import org.troupedb.sql.CopyOptions;
import org.troupedb.sql.CopyOut;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.errors.Errors;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.apache.calcite.linq4j.Enumerator;
import org.troupedb.sql.internal.kv.KvTable;
import org.troupedb.sql.internal.plan.StatementContext;
import org.troupedb.sql.parser.ast.SqlCopy;
import org.troupedb.txn.KeyExistsException;
import org.troupedb.txn.Mutation;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

/**
 * {@code COPY table [(columns)] FROM STDIN | TO STDOUT}: resolves the table and options and returns
 * a {@link CopyIn} that loads rows in large batches through the INSERT path's row writer, or a
 * {@link CopyOut} with the table's rows. The wire layer splits and formats the data.
 *
 * <p>Outside a transaction block a COPY FROM runs in a transaction of its own that commits at
 * CopyDone (a failure anywhere rolls it back: no row stays); inside a block it writes into the
 * block's transaction and an error fails the block, as in PostgreSQL.
 */
public final class Copy {
  /** Mutations per KV write: large enough that a load costs few round trips, small enough to stream. */
  static final int BATCH_MUTATIONS = 4096;

  private Copy() {}

  /**
   * Starts a COPY. NB: {@code block}'s transaction is the open transaction block's, null outside
   * one (then the COPY runs in a transaction of its own), and it has no catalog yet: the COPY reads
   * the one of the transaction it runs in. {@code failBlock} marks that block failed and rolls it back.
   */
  public static StatementResult start(StatementContext block, SqlCopy node, Runnable failBlock) throws SqlException {
    Txn blockTxn = block.txn();
    Txn txn = blockTxn != null ? blockTxn
        : block.kv().begin(node.from() ? TxnOptions.readWrite() : new TxnOptions(true, null, true));
    try {
      CopyOptions options = options(node.options());
      StatementContext cx = block.in(txn, block.catalogs().read(txn, block.cancel()));
      TableDesc t = table(cx, node.table());
      Privileges.checkTable(cx, t, node.from() ? AuthCatalog.Privilege.INSERT : AuthCatalog.Privilege.SELECT);
      int[] targets = targets(t, node.columns());
      if (node.from()) {
        return new Loader(cx, blockTxn == null, failBlock, t, targets, options);
      }
      StreamedResult out = dump(cx, t, targets, options);
      if (blockTxn == null) {
        out.onEnd(end -> {
          if (end == StreamedResult.End.COMPLETED) {
            Kv.await(txn.commit(), cx.cancel());
          } else {
            txn.rollback();
          }
        });
      } else {
        out.onEnd(end -> {
          if (end == StreamedResult.End.FAILED) {
            failBlock.run();
          }
        });
      }
      return out;
    } catch (SqlException | RuntimeException e) {
      undo(txn, blockTxn == null, failBlock);
      throw e instanceof SqlException se ? se : Errors.fromRuntime(e);
    }
  }

  /** The options of {@code COPY (query) TO STDOUT}, checked as a table's COPY checks them. */
  public static CopyOptions checkedOptions(SqlNodeList list) throws SqlException {
    return options(list);
  }

  /**
   * {@code COPY (query) TO STDOUT}: the query's rows (read as they are sent when {@code result}
   * streams), for the wire layer to format with {@code options}.
   */
  public static CopyOut out(StatementResult result, CopyOptions options) {
    Iterator<Object[]> rows = result.rows();
    StreamedResult out = new StreamedResult.Copy(result.columns(),
        org.apache.calcite.linq4j.Linq4j.iterableEnumerator(() -> rows), r -> r, options);
    return (CopyOut) out.onEnd(end -> result.close());
  }

  private static void undo(Txn txn, boolean own, Runnable failBlock) {
    if (own) {
      txn.rollback();
    } else {
      failBlock.run();
    }
  }

  // ---------------------------------------------------------------- statement

  /** The options of a COPY as PostgreSQL 15 validates them. */
  static CopyOptions options(SqlNodeList list) throws SqlException {
    String format = null;
    Character delimiter = null;
    String nullString = null;
    Boolean header = null;
    Character quote = null;
    Character escape = null;
    List<String> seen = new ArrayList<>();
    for (SqlNode o : list) {
      SqlCall option = (SqlCall) o;
      String name = ((SqlIdentifier) option.operand(0)).getSimple().toLowerCase(Locale.ROOT);
      String value = value(option.operand(1));
      if (seen.contains(name)) {
        throw new SqlException(SqlState.SYNTAX_ERROR, "conflicting or redundant options");
      }
      seen.add(name);
      switch (name) {
        case "format" -> format = value.toLowerCase(Locale.ROOT);
        case "delimiter" -> delimiter = oneByte(value, "delimiter");
        case "null" -> nullString = value;
        case "header" -> header = bool(value, name);
        case "quote" -> quote = oneByte(value, "quote");
        case "escape" -> escape = oneByte(value, "escape");
        case "freeze" -> bool(value, name); // accepted: rows of a COPY are visible only once it commits
        case "encoding" -> {
          String e = value.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
          if (!e.equals("utf8") && !e.equals("unicode") && !e.equals("sqlascii")) {
            throw SqlException.unsupported("COPY ENCODING " + value);
          }
        }
        case "force_quote", "force_not_null", "force_null" ->
            throw SqlException.unsupported("COPY " + name.toUpperCase(Locale.ROOT));
        default -> throw new SqlException(SqlState.SYNTAX_ERROR, "option \"" + name + "\" not recognized");
      }
    }
    CopyOptions.Format f;
    if (format == null || format.equals("text")) {
      f = CopyOptions.Format.TEXT;
    } else if (format.equals("csv")) {
      f = CopyOptions.Format.CSV;
    } else if (format.equals("binary")) {
      throw SqlException.unsupported("COPY FORMAT BINARY");
    } else {
      throw new SqlException(SqlState.INVALID_PARAMETER_VALUE, "COPY format \"" + format + "\" not recognized");
    }
    CopyOptions d = CopyOptions.defaults(f);
    if (f != CopyOptions.Format.CSV && (quote != null || escape != null)) {
      throw new SqlException(SqlState.FEATURE_NOT_SUPPORTED,
          "COPY " + (quote != null ? "quote" : "escape") + " available only in CSV mode");
    }
    CopyOptions result = new CopyOptions(f, delimiter != null ? delimiter : d.delimiter(),
        nullString != null ? nullString : d.nullString(), header != null && header,
        quote != null ? quote : d.quote(), escape != null ? escape : quote != null ? quote : d.escape());
    check(result);
    return result;
  }

  private static void check(CopyOptions o) throws SqlException {
    char dl = o.delimiter();
    if (dl == '\r' || dl == '\n') {
      throw invalid("COPY delimiter cannot be newline or carriage return");
    }
    if (o.nullString().indexOf('\r') >= 0 || o.nullString().indexOf('\n') >= 0) {
      throw invalid("COPY null representation cannot use newline or carriage return");
    }
    if (!o.csv() && "\\.abcdefghijklmnopqrstuvwxyz0123456789".indexOf(Character.toLowerCase(dl)) >= 0) {
      throw invalid("COPY delimiter cannot be \"" + dl + "\"");
    }
    if (o.csv() && dl == o.quote()) {
      throw invalid("COPY delimiter and quote must be different");
    }
    if (o.csv() && o.nullString().indexOf(dl) >= 0) {
      throw invalid("COPY delimiter must not appear in the NULL specification");
    }
    if (o.csv() && o.nullString().indexOf(o.quote()) >= 0) {
      throw invalid("CSV quote character must not appear in the NULL specification");
    }
  }

  private static SqlException invalid(String message) {
    return new SqlException(SqlState.INVALID_PARAMETER_VALUE, message);
  }

  private static String value(SqlNode v) {
    if (v instanceof SqlIdentifier id) {
      return id.getSimple();
    }
    if (v instanceof SqlLiteral lit) {
      Object x = lit.getValue() instanceof Boolean b ? b : lit.toValue();
      return String.valueOf(x);
    }
    return v.toString();
  }

  private static char oneByte(String value, String what) throws SqlException {
    if (value.length() != 1 || value.charAt(0) > 0x7F) {
      throw invalid("COPY " + what + " must be a single one-byte character");
    }
    return value.charAt(0);
  }

  private static boolean bool(String value, String name) throws SqlException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "on", "1", "yes" -> true;
      case "false", "off", "0", "no" -> false;
      default -> throw new SqlException(SqlState.SYNTAX_ERROR, name + " requires a Boolean value");
    };
  }

  private static TableDesc table(StatementContext cx, SqlIdentifier name) throws SqlException {
    String schema = name.names.size() > 1 ? name.names.get(name.names.size() - 2) : "public";
    String table = name.names.get(name.names.size() - 1);
    TableDesc t = cx.catalog().table(cx.databaseId(), schema, table);
    if (t == null) {
      throw new SqlException(SqlState.UNDEFINED_TABLE, "relation \"" + table + "\" does not exist");
    }
    return t;
  }

  /** Positions of the COPY's columns in the table: the list given, or every visible column. */
  private static int[] targets(TableDesc t, SqlNodeList columns) throws SqlException {
    List<Integer> out = new ArrayList<>();
    if (columns == null) {
      for (int i = 0; i < t.columns().size(); i++) {
        if (!t.columns().get(i).hidden()) {
          out.add(i);
        }
      }
    } else {
      for (SqlNode c : columns) {
        String name = ((SqlIdentifier) c).getSimple();
        int i = t.columnIndex(name);
        if (i < 0 || t.columns().get(i).hidden()) {
          throw new SqlException(SqlState.UNDEFINED_COLUMN,
              "column \"" + name + "\" of relation \"" + t.name() + "\" does not exist");
        }
        if (out.contains(i)) {
          throw new SqlException(SqlState.DUPLICATE_COLUMN, "column \"" + name + "\" specified more than once");
        }
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static List<ColumnInfo> columnInfos(TableDesc t, int[] targets) {
    List<ColumnInfo> cols = new ArrayList<>();
    for (int i : targets) {
      TableDesc.Column c = t.columns().get(i);
      cols.add(new ColumnInfo(c.name(), c.type().pg(), c.type().typmod(), 0, (short) 0));
    }
    return cols;
  }

  // ---------------------------------------------------------------- TO STDOUT

  /** The table's rows, read page by page as the wire layer sends them (the budget holds one page). */
  private static StreamedResult dump(StatementContext cx, TableDesc t, int[] targets, CopyOptions options) {
    MemoryBudget memory = cx.session().statementMemory();
    Enumerator<Object[]> scan = new KvTable(t, true).scanAll(cx.txn(), cx.cancel(),
        memory.transientAccount("Seq Scan on " + t.name()));
    StreamedResult out = new StreamedResult.Copy(columnInfos(t, targets), scan, r -> {
      Object[] o = new Object[targets.length];
      for (int j = 0; j < targets.length; j++) {
        o[j] = t.columns().get(targets[j]).type().toExternal(r[targets[j]]);
      }
      return o;
    }, options);
    return out.onEnd(end -> memory.close());
  }

  // ---------------------------------------------------------------- FROM STDIN

  /**
   * Loads rows: each field is coerced to its column's type, the row completed with defaults and
   * checked as INSERT does, and its mutations collected until {@link #BATCH_MUTATIONS} are ready
   * for one KV write.
   */
  private static final class Loader implements CopyIn {
    private final StatementContext cx;
    private final Txn txn;
    private final boolean ownTxn;
    private final Runnable failBlock;
    private final TableDesc t;
    private final int[] targets;
    private final boolean[] targeted;
    private final Object[] defaults;
    /** True when a default is volatile ({@code gen_random_uuid()}): evaluated again for each row. */
    private final boolean perRowDefaults;
    private final CopyOptions options;
    private final List<ColumnInfo> columns;
    private final List<Mutation> pending = new ArrayList<>();
    /** The input line of each pending mutation, to name the line of a duplicate key. */
    private final List<Long> pendingLines = new ArrayList<>();
    /** The rows of the pending batch, when the table has foreign keys to check after writing them. */
    private final List<Object[]> pendingRows = new ArrayList<>();
    private long count;
    private State state = State.OPEN;

    private enum State { OPEN, COMMITTED, ABORTED }

    Loader(StatementContext cx, boolean ownTxn, Runnable failBlock, TableDesc t, int[] targets,
        CopyOptions options) throws SqlException {
      this.cx = cx;
      this.txn = cx.txn();
      this.ownTxn = ownTxn;
      this.failBlock = failBlock;
      this.t = t;
      this.targets = targets;
      this.options = options;
      this.targeted = new boolean[t.columns().size()];
      for (int c : targets) {
        targeted[c] = true;
      }
      this.perRowDefaults = VolatileDefaults.any(t, targeted);
      this.defaults = perRowDefaults ? null : NewRows.defaults(cx, t, targeted); // per row: no extra nextval call
      this.columns = columnInfos(t, targets);
    }

    @Override
    public CopyOptions options() {
      return options;
    }

    @Override
    public String relation() {
      return t.name();
    }

    @Override
    public List<ColumnInfo> columns() {
      return columns;
    }

    @Override
    public void write(List<String[]> rows, long firstLine) throws SqlException {
      if (state != State.OPEN) {
        throw new SqlException(SqlState.INTERNAL_ERROR, "COPY already " + state.name().toLowerCase(Locale.ROOT));
      }
      long line = firstLine;
      try {
        for (String[] fields : rows) {
          Object[] full = new Object[t.columns().size()];
          for (int j = 0; j < targets.length; j++) {
            full[targets[j]] = field(fields[j], j, line);
          }
          try {
            NewRows.complete(cx, t, targeted, perRowDefaults ? NewRows.defaults(cx, t, targeted) : defaults, full);
            Checks.verify(cx, t, full);
          } catch (SqlException e) {
            throw e.withContext("COPY " + t.name() + ", line " + line);
          }
          RowWriter.insert(t, full, pending);
          if (!t.foreignKeys().isEmpty()) {
            pendingRows.add(full);
          }
          while (pendingLines.size() < pending.size()) {
            pendingLines.add(line);
          }
          count++;
          line++;
          if (pending.size() >= BATCH_MUTATIONS) {
            flush();
          }
        }
      } catch (SqlException | RuntimeException e) {
        throw failed(e);
      }
    }

    /** Undoes the COPY and returns the error to report. */
    private SqlException failed(Exception e) {
      abort();
      return e instanceof SqlException se ? se
          : e instanceof KeyExistsException k ? cx.session().duplicate(k) : Errors.fromRuntime((RuntimeException) e);
    }

    private Object field(String text, int j, long line) throws SqlException {
      if (text == null) {
        return null;
      }
      TableDesc.Column c = t.columns().get(targets[j]);
      try {
        return c.type().coerce(text);
      } catch (SqlException e) {
        throw e.withContext("COPY " + t.name() + ", line " + line + ", column " + c.name() + ": \"" + text + "\"");
      } catch (RuntimeException e) {
        throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type " + c.type().sqlName() + ": \"" + text + "\"")
            .withContext("COPY " + t.name() + ", line " + line + ", column " + c.name() + ": \"" + text + "\"");
      }
    }

    /** Writes the pending batch as one KV write; a duplicate key names the line it came from. */
    private void flush() throws SqlException {
      if (pending.isEmpty()) {
        return;
      }
      cx.session().onDuplicate(t.id(), key -> RowWriter.duplicate(t, key, null));
      try {
        Kv.await(txn.write(pending), cx.cancel());
      } catch (KeyExistsException e) {
        String where = "COPY " + t.name();
        for (int i = 0; i < pending.size(); i++) {
          if (java.util.Arrays.equals(pending.get(i).key(), e.key())) {
            where += ", line " + pendingLines.get(i);
            break;
          }
        }
        throw RowWriter.duplicate(t, e.key(), null).withContext(where);
      }
      ForeignKeys.checkReferences(cx, t, pendingRows);
      pendingRows.clear();
      pending.clear();
      pendingLines.clear();
    }

    @Override
    public void finish() throws SqlException {
      if (state != State.OPEN) {
        throw new SqlException(SqlState.INTERNAL_ERROR, "COPY already " + state.name().toLowerCase(Locale.ROOT));
      }
      try {
        flush();
        if (ownTxn) {
          Kv.await(txn.commit(), cx.cancel());
        }
        state = State.COMMITTED;
      } catch (SqlException | RuntimeException e) {
        throw failed(e);
      }
    }

    @Override
    public void abort() {
      if (state == State.OPEN) {
        state = State.ABORTED;
        pending.clear();
        undo(txn, ownTxn, failBlock);
      }
    }

    @Override
    public String commandTag() {
      return "COPY " + count;
    }
  }
}
