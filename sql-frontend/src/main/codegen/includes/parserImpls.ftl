<#--
  TroupeDB's PostgreSQL productions, spliced into Calcite's Parser.jj by fmpp
  (see config.fmpp for the hooks that call them).
-->

/**
 * Parses statements separated by semicolons; empty statements (";;", a leading or
 * trailing ";") are skipped.
 */
SqlNodeList PgStmtList() :
{
    final List<SqlNode> list = new ArrayList<SqlNode>();
    SqlNode stmt;
}
{
    ( <SEMICOLON> )*
    [
        stmt = SqlStmt() { list.add(stmt); }
        (
            <SEMICOLON>
            [ stmt = SqlStmt() { list.add(stmt); } ]
        )*
    ]
    <EOF>
    { return new SqlNodeList(list, getPos()); }
}
