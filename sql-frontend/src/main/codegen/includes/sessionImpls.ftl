<#--
  TroupeDB's session statements (issue 14): SQL-level prepared statements and cursors, spliced
  into Calcite's Parser.jj by fmpp (config.fmpp's statementParserMethods call them). A statement
  these carry (PREPARE ... AS, DECLARE ... FOR) is wrapped in a SqlNodeList whose position spans
  its text, so the session can plan it as a statement of its own.
-->

/** The position of the next token: where a carried statement's text begins. */
JAVACODE SqlParserPos pgNextTokenPos()
{
    final Token t = getToken(1);
    return new SqlParserPos(t.beginLine, t.beginColumn);
}

/**
 * PREPARE name [(type, ...)] AS statement. The statement is any one the grammar knows; the
 * session accepts only SELECT, VALUES, INSERT, UPDATE and DELETE, as PostgreSQL does.
 */
SqlNode PgPrepare() :
{
    final Span s;
    final SqlIdentifier name;
    final List<SqlNode> types = new ArrayList<SqlNode>();
    SqlDataTypeSpec type;
    final SqlParserPos start;
    final SqlNode body;
}
{
    <PREPARE> { s = span(); }
    name = SimpleIdentifier()
    [
        <LPAREN>
        type = PgDataType() { types.add(type); }
        ( <COMMA> type = PgDataType() { types.add(type); } )*
        <RPAREN>
    ]
    <AS> { start = pgNextTokenPos(); }
    body = SqlStmt() {
        return new SqlPrepare(s.end(this), name, new SqlNodeList(types, s.pos()),
            SqlPrepare.carried(body, start, getPos()));
    }
}

/** EXECUTE name [(expression, ...)]. */
SqlNode PgExecute() :
{
    final Span s;
    final SqlIdentifier name;
    final List<SqlNode> args = new ArrayList<SqlNode>();
    SqlNode e;
}
{
    <EXECUTE> { s = span(); }
    name = SimpleIdentifier()
    [
        <LPAREN>
        e = Expression(ExprContext.ACCEPT_NON_QUERY) { args.add(e); }
        ( <COMMA> e = Expression(ExprContext.ACCEPT_NON_QUERY) { args.add(e); } )*
        <RPAREN>
    ]
    { return new SqlExecute(s.end(this), name, new SqlNodeList(args, s.pos())); }
}

/** DEALLOCATE [PREPARE] name | ALL. */
SqlNode PgDeallocate() :
{
    final Span s;
    SqlIdentifier name = null;
}
{
    <DEALLOCATE> { s = span(); }
    [ <PREPARE> ]
    ( <ALL> | name = SimpleIdentifier() )
    { return new SqlDeallocate(s.end(this), name); }
}

/**
 * DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [[NO] SCROLL] CURSOR [{WITH | WITHOUT} HOLD]
 * FOR query (the options in any order, as PostgreSQL takes them).
 */
SqlNode PgDeclareCursor() :
{
    final Span s;
    final SqlIdentifier name;
    boolean binary = false;
    SqlDeclareCursor.Scroll scroll = SqlDeclareCursor.Scroll.DEFAULT;
    boolean hold = false;
    final SqlParserPos start;
    final SqlNode body;
}
{
    <DECLARE> { s = span(); }
    name = SimpleIdentifier()
    (
        <BINARY> { binary = true; }
    |
        <ASENSITIVE>
    |
        <INSENSITIVE>
    |
        <NO> <SCROLL> { scroll = SqlDeclareCursor.Scroll.NO_SCROLL; }
    |
        <SCROLL> { scroll = SqlDeclareCursor.Scroll.SCROLL; }
    )*
    <CURSOR>
    [
        <WITH> <HOLD> { hold = true; }
    |
        <WITHOUT> <HOLD>
    ]
    <FOR> { start = pgNextTokenPos(); }
    body = SqlStmt() {
        return new SqlDeclareCursor(s.end(this), name, binary, scroll, hold,
            SqlPrepare.carried(body, start, getPos()));
    }
}

/**
 * FETCH | MOVE [direction] [FROM | IN] cursor, direction one of NEXT, PRIOR, FIRST, LAST,
 * ABSOLUTE n, RELATIVE n, n, ALL, FORWARD [n | ALL], BACKWARD [n | ALL]. MOVE, FORWARD and
 * BACKWARD are no keywords of this grammar, so they are read as words.
 */
SqlNode PgFetch() :
{
    final Span s;
    final boolean move;
    SqlFetch.Direction dir = SqlFetch.Direction.FORWARD;
    long count = 1;
    Long n;
    final SqlIdentifier name;
}
{
    (
        <FETCH> { move = false; }
    |
        LOOKAHEAD({ getToken(1).kind == IDENTIFIER && getToken(1).image.equalsIgnoreCase("move") })
        <IDENTIFIER> { move = true; }
    )
    { s = span(); }
    [
        <NEXT>
    |
        <PRIOR> { dir = SqlFetch.Direction.BACKWARD; }
    |
        <FIRST> { dir = SqlFetch.Direction.ABSOLUTE; }
    |
        <LAST> { dir = SqlFetch.Direction.ABSOLUTE; count = -1; }
    |
        <ABSOLUTE> n = PgSignedLong() { dir = SqlFetch.Direction.ABSOLUTE; count = n; }
    |
        <RELATIVE> n = PgSignedLong() { dir = SqlFetch.Direction.RELATIVE; count = n; }
    |
        <ALL> { count = SqlFetch.ALL; }
    |
        n = PgSignedLong() {
            count = Math.abs(n);
            dir = n < 0 ? SqlFetch.Direction.BACKWARD : SqlFetch.Direction.FORWARD;
        }
    |
        LOOKAHEAD({ getToken(1).kind == IDENTIFIER && getToken(2).kind != EOF
            && (getToken(1).image.equalsIgnoreCase("forward")
                || getToken(1).image.equalsIgnoreCase("backward")) })
        <IDENTIFIER> {
            if (token.image.equalsIgnoreCase("backward")) {
                dir = SqlFetch.Direction.BACKWARD;
            }
        }
        [
            <ALL> { count = SqlFetch.ALL; }
        |
            n = PgSignedLong() {
                count = Math.abs(n);
                if (n < 0) {
                    dir = dir == SqlFetch.Direction.FORWARD
                        ? SqlFetch.Direction.BACKWARD : SqlFetch.Direction.FORWARD;
                }
            }
        ]
    ]
    [ <FROM> | <IN> ]
    name = SimpleIdentifier()
    { return new SqlFetch(s.end(this), name, move, dir, count); }
}

/** CLOSE name | ALL. */
SqlNode PgCloseCursor() :
{
    final Span s;
    SqlIdentifier name = null;
}
{
    <CLOSE> { s = span(); }
    ( <ALL> | name = SimpleIdentifier() )
    { return new SqlCloseCursor(s.end(this), name); }
}
