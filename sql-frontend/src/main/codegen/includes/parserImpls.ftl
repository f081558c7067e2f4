<#--
  TroupeDB's PostgreSQL productions, spliced into Calcite's Parser.jj by fmpp
  (config.fmpp names the hooks that call them).
-->

/** Operator tokens for the POSIX regex operators (config: includePosixOperators). */
<DEFAULT, DQID, BTID> TOKEN :
{
    < NEGATE: "!" >
|   < TILDE: "~" >
}

/**
 * Multi-word tokens: Calcite would otherwise read AS as the start of a table alias and FOR as
 * the start of FOR SYSTEM_TIME AS OF right after a table name.
 */
<DEFAULT, DQID, BTID, BQID, BQHID> TOKEN :
{
    < FOR_UPDATE: "FOR" (<PG_BLANK>)+ "UPDATE" > {
        // NB: a keyword run is only this token if it ends at a word boundary; otherwise
        // ("FOR update_count") give back all but the first word (FOR).
        {
        int next;
        try {
            next = input_stream.readChar();
            input_stream.backup(1);
        } catch (java.io.IOException e) {
            next = -1;
        }
        if (next >= 0 && (Character.isLetterOrDigit((char) next) || next == '_' || next == '$')) {
            input_stream.backup(matchedToken.image.length() - 3);
            matchedToken.kind = FOR;
            matchedToken.image = matchedToken.image.substring(0, 3);
            matchedToken.endLine = matchedToken.beginLine;
            matchedToken.endColumn = matchedToken.beginColumn + 2;
        }
        }
    }
|
    < FOR_SHARE: "FOR" (<PG_BLANK>)+ "SHARE" > {
        // NB: a keyword run is only this token if it ends at a word boundary; otherwise
        // ("FOR update_count") give back all but the first word (FOR).
        {
        int next;
        try {
            next = input_stream.readChar();
            input_stream.backup(1);
        } catch (java.io.IOException e) {
            next = -1;
        }
        if (next >= 0 && (Character.isLetterOrDigit((char) next) || next == '_' || next == '$')) {
            input_stream.backup(matchedToken.image.length() - 3);
            matchedToken.kind = FOR;
            matchedToken.image = matchedToken.image.substring(0, 3);
            matchedToken.endLine = matchedToken.beginLine;
            matchedToken.endColumn = matchedToken.beginColumn + 2;
        }
        }
    }
|
    < FOR_NO_KEY_UPDATE: "FOR" (<PG_BLANK>)+ "NO" (<PG_BLANK>)+ "KEY" (<PG_BLANK>)+ "UPDATE" > {
        // NB: a keyword run is only this token if it ends at a word boundary; otherwise
        // ("FOR update_count") give back all but the first word (FOR).
        {
        int next;
        try {
            next = input_stream.readChar();
            input_stream.backup(1);
        } catch (java.io.IOException e) {
            next = -1;
        }
        if (next >= 0 && (Character.isLetterOrDigit((char) next) || next == '_' || next == '$')) {
            input_stream.backup(matchedToken.image.length() - 3);
            matchedToken.kind = FOR;
            matchedToken.image = matchedToken.image.substring(0, 3);
            matchedToken.endLine = matchedToken.beginLine;
            matchedToken.endColumn = matchedToken.beginColumn + 2;
        }
        }
    }
|
    < FOR_KEY_SHARE: "FOR" (<PG_BLANK>)+ "KEY" (<PG_BLANK>)+ "SHARE" > {
        // NB: a keyword run is only this token if it ends at a word boundary; otherwise
        // ("FOR update_count") give back all but the first word (FOR).
        {
        int next;
        try {
            next = input_stream.readChar();
            input_stream.backup(1);
        } catch (java.io.IOException e) {
            next = -1;
        }
        if (next >= 0 && (Character.isLetterOrDigit((char) next) || next == '_' || next == '$')) {
            input_stream.backup(matchedToken.image.length() - 3);
            matchedToken.kind = FOR;
            matchedToken.image = matchedToken.image.substring(0, 3);
            matchedToken.endLine = matchedToken.beginLine;
            matchedToken.endColumn = matchedToken.beginColumn + 2;
        }
        }
    }
|
    < SKIP_LOCKED: "SKIP" (<PG_BLANK>)+ "LOCKED" > {
        // NB: a keyword run is only this token if it ends at a word boundary; otherwise
        // ("FOR update_count") give back all but the first word (IDENTIFIER).
        {
        int next;
        try {
            next = input_stream.readChar();
            input_stream.backup(1);
        } catch (java.io.IOException e) {
            next = -1;
        }
        if (next >= 0 && (Character.isLetterOrDigit((char) next) || next == '_' || next == '$')) {
            input_stream.backup(matchedToken.image.length() - 4);
            matchedToken.kind = IDENTIFIER;
            matchedToken.image = matchedToken.image.substring(0, 4);
            matchedToken.endLine = matchedToken.beginLine;
            matchedToken.endColumn = matchedToken.beginColumn + 3;
        }
        }
    }
|
    < AS_OF_SYSTEM_TIME: "AS" (<PG_BLANK>)+ "OF" (<PG_BLANK>)+ "SYSTEM" (<PG_BLANK>)+ "TIME" > {
        // NB: a keyword run is only this token if it ends at a word boundary; otherwise
        // ("FOR update_count") give back all but the first word (AS).
        {
        int next;
        try {
            next = input_stream.readChar();
            input_stream.backup(1);
        } catch (java.io.IOException e) {
            next = -1;
        }
        if (next >= 0 && (Character.isLetterOrDigit((char) next) || next == '_' || next == '$')) {
            input_stream.backup(matchedToken.image.length() - 2);
            matchedToken.kind = AS;
            matchedToken.image = matchedToken.image.substring(0, 2);
            matchedToken.endLine = matchedToken.beginLine;
            matchedToken.endColumn = matchedToken.beginColumn + 1;
        }
        }
    }
|
    < #PG_BLANK: [" ", "\t", "\n", "\r", "\f"] >
}

/**
 * Dollar-quoted strings. $$text$$ is one regular expression (longer than any identifier it
 * starts, though $ is a letter to Calcite). For $tag$text$tag$ the token matches the opening
 * $tag$ (tied with an identifier when a blank follows, it wins by coming first) and its action
 * reads on to the closing $tag$. See PgDollarString.
 */
<DEFAULT, DQID, BTID, BQID, BQHID> TOKEN :
{
    < PG_DOLLAR_STRING_PLAIN: "$$" ( ~["$"] | "$" ~["$"] )* "$$" >
|
    < PG_DOLLAR_STRING: "$" ["a"-"z","A"-"Z","_"] (["a"-"z","A"-"Z","_","0"-"9"])* "$" > {
        {
        final String tag = matchedToken.image;
        final StringBuilder text = new StringBuilder(tag);
        try {
            while (text.length() < 2 * tag.length()
                || !text.substring(text.length() - tag.length()).equals(tag)) {
                text.append(input_stream.readChar());
            }
        } catch (java.io.IOException e) {
            // unterminated: PgDollarString reports it
        }
        matchedToken.image = text.toString();
        matchedToken.endLine = input_stream.getEndLine();
        matchedToken.endColumn = input_stream.getEndColumn();
        }
    }
}


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

/**
 * A parse error with this message at the token after the last one consumed, shaped like
 * JavaCC's own so that normalizeException gives it a position.
 */
JAVACODE ParseException pgError(String message)
{
    getToken(1);
    final ParseException e = new ParseException(message);
    e.currentToken = token;
    e.tokenImage = tokenImage;
    e.expectedTokenSequences = new int[0][];
    return e;
}

/* ---------------------------------------------------------------- expressions */

/** Parses a PostgreSQL positional parameter, $1 ... $n. */
SqlNode PgParam() :
{
}
{
    <PG_PARAM> {
        final String digits = token.image.substring(1);
        if (digits.length() > 5 || Integer.parseInt(digits) < 1
            || Integer.parseInt(digits) > 65535) {
            throw SqlUtil.newContextException(getPos(),
                RESOURCE.illegalLiteral("parameter", token.image,
                    "parameters are numbered $1 to $65535"));
        }
        return new SqlPgParam(Integer.parseInt(digits), getPos());
    }
}

/**
 * Parses INTERVAL 'text' [qualifier]: with a qualifier, Calcite's interval literal; without,
 * PostgreSQL's interval, CAST('text' AS interval) (see org.troupedb.sql.parser.PgIntervals).
 */
SqlNode PgIntervalLiteral() :
{
    final Span s;
    final String image;
    final String text;
    SqlIntervalQualifier q = null;
}
{
    <PG_INTERVAL_STRING> {
        s = span();
        image = token.image;
        text = image.substring(image.indexOf('\'') + 1, image.length() - 1).replace("''", "'");
    }
    [ LOOKAHEAD(2) q = IntervalQualifier() ]
    {
        if (q != null) {
            return SqlParserUtil.parseIntervalLiteral(s.end(q), 1, text, q);
        }
        return org.troupedb.sql.parser.PgIntervals.toCast(text, image, s.end(this));
    }
}

/**
 * Parses TIMESTAMPTZ 'text' and TIMESTAMP WITH TIME ZONE 'text' (one token each, like INTERVAL
 * 'text') into a literal of the UTC instant (see org.troupedb.sql.parser.PgTimestamps).
 */
SqlNode PgTimestampTzLiteral() :
{
    final String image;
    final String text;
}
{
    <PG_TIMESTAMPTZ_STRING> {
        image = token.image;
        text = image.substring(image.indexOf('\'') + 1, image.length() - 1).replace("''", "'");
        try {
            return org.troupedb.sql.parser.PgTimestamps.toTimestampTz(text, getPos());
        } catch (RuntimeException e) {
            throw SqlUtil.newContextException(getPos(),
                RESOURCE.illegalLiteral("timestamp with time zone", text, e.getMessage()));
        }
    }
}

/**
 * Parses TIMESTAMP 'text' (one token) as PostgreSQL reads timestamp input: seconds and fraction
 * optional, an ISO 'T' allowed, an offset ignored (see org.troupedb.sql.parser.PgTimestamps).
 */
SqlNode PgTimestampLiteral() :
{
    final String image;
    final String text;
}
{
    <PG_TIMESTAMP_STRING> {
        image = token.image;
        text = image.substring(image.indexOf('\'') + 1, image.length() - 1).replace("''", "'");
        try {
            return org.troupedb.sql.parser.PgTimestamps.toTimestamp(text, getPos());
        } catch (RuntimeException e) {
            throw SqlUtil.newContextException(getPos(),
                RESOURCE.illegalLiteral("timestamp", text, e.getMessage()));
        }
    }
}

/** Parses a dollar-quoted string literal: the text between the tags, taken as it is. */
SqlNode PgDollarString() :
{
}
{
    ( <PG_DOLLAR_STRING> | <PG_DOLLAR_STRING_PLAIN> ) {
        final String image = token.image;
        final int tag = image.indexOf('$', 1) + 1;
        if (image.length() < 2 * tag || !image.endsWith(image.substring(0, tag))) {
            throw pgError("unterminated dollar-quoted string");
        }
        return SqlLiteral.createCharString(image.substring(tag, image.length() - tag), getPos());
    }
}

/** Parses the infix "::" cast of PostgreSQL (SqlLibraryOperators.INFIX_CAST, kind CAST). */
void InfixCast(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlDataTypeSpec dt;
}
{
    <INFIX_CAST> {
        checkNonQueryExpression(exprContext);
    }
    dt = DataType() {
        list.add(
            new SqlParserUtil.ToTreeListItem(SqlLibraryOperators.INFIX_CAST,
                s.pos()));
        list.add(dt);
    }
}

/**
 * PostgreSQL's explicit operator syntax, {@code a OPERATOR(pg_catalog.~) b} (psql's describe
 * queries use it); every operator lives in pg_catalog, so a schema name is accepted and dropped.
 */
void PgExplicitOperator(List<Object> list, ExprContext exprContext, Span s) :
{
    SqlOperator op;
    final List<Object> list2;
}
{
    <OPERATOR> <LPAREN> { checkNonQueryExpression(exprContext); }
    [ LOOKAHEAD(2) SimpleIdentifier() <DOT> ]
    (
        <NEGATE> <TILDE> { op = SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_SENSITIVE; }
        [ <STAR> { op = SqlStdOperatorTable.NEGATED_POSIX_REGEX_CASE_INSENSITIVE; } ]
    |
        <TILDE> { op = SqlStdOperatorTable.POSIX_REGEX_CASE_SENSITIVE; }
        [ <STAR> { op = SqlStdOperatorTable.POSIX_REGEX_CASE_INSENSITIVE; } ]
    |
        <EQ> { op = SqlStdOperatorTable.EQUALS; }
    |
        <NE> { op = SqlStdOperatorTable.NOT_EQUALS; }
    |
        <LT> { op = SqlStdOperatorTable.LESS_THAN; }
    |
        <GT> { op = SqlStdOperatorTable.GREATER_THAN; }
    |
        <LE> { op = SqlStdOperatorTable.LESS_THAN_OR_EQUAL; }
    |
        <GE> { op = SqlStdOperatorTable.GREATER_THAN_OR_EQUAL; }
    )
    <RPAREN>
    list2 = Expression2(ExprContext.ACCEPT_SUB_QUERY) {
        list.add(new SqlParserUtil.ToTreeListItem(op, s.pos()));
        list.addAll(list2);
    }
}

/**
 * PostgreSQL's json operators, {@code a -> b}, {@code a ->> b}, {@code a #> b}, {@code a #>> b},
 * {@code a @> b}, {@code a <&#64; b}, {@code a ? b}, {@code a ?| b}, {@code a ?& b} (see
 * SqlPgJsonOperator). NB: "->" is Calcite's lambda arrow and "?" its JDBC parameter marker;
 * here, after an operand, they can be nothing else (lambdas are taken out of function arguments
 * in sql-frontend/pom.xml; PostgreSQL has none).
 */
void PgJsonOperator(List<Object> list, ExprContext exprContext, Span s) :
{
    final String name;
}
{
    (
        <PG_JSON_GET_TEXT> { name = "->>"; }
    |   <LAMBDA> { name = "->"; }
    |   <PG_JSON_PATH_TEXT> { name = "#>>"; }
    |   <PG_JSON_PATH> { name = "#>"; }
    |   <PG_JSON_CONTAINS> { name = "@>"; }
    |   <PG_JSON_CONTAINED> { name = "<" + "@"; } // NB: not one literal, FreeMarker reads that as a macro call
    |   <PG_JSON_EXISTS_ANY> { name = "?|"; }
    |   <PG_JSON_EXISTS_ALL> { name = "?&"; }
    |   <HOOK> { name = "?"; }
    ) {
        checkNonQueryExpression(exprContext);
        list.add(new SqlParserUtil.ToTreeListItem(new SqlPgJsonOperator(name), getPos()));
    }
    AddExpression2b(list, ExprContext.ACCEPT_SUB_QUERY)
}

/**
 * {@code expr COLLATE name}: TroupeDB compares strings by code point, which is what the
 * collations a client may name here ({@code pg_catalog.default}, {@code "C"}, {@code "POSIX"})
 * mean for it, so the clause is accepted and leaves the expression as it is.
 */
void PgCollate(List<Object> list, ExprContext exprContext, Span s) :
{
}
{
    <COLLATE>
    SimpleIdentifier()
    [ <DOT> ( SimpleIdentifier() | <DEFAULT_> ) ]
}

/**
 * PostgreSQL spells some SQL context variables as functions too: current_schema(),
 * current_user(), ... are calls of an unresolved function of that name.
 */
SqlNode PgContextFunctionCall() :
{
    final Span s;
}
{
    ( <CURRENT_SCHEMA> | <CURRENT_CATALOG> | <CURRENT_USER> | <SESSION_USER> | <CURRENT_ROLE> )
    {
        s = span();
        final SqlIdentifier name = new SqlIdentifier(unquotedIdentifier(), getPos());
    }
    <LPAREN> <RPAREN>
    {
        return createCall(name, s.end(this), SqlFunctionCategory.USER_DEFINED_FUNCTION, null,
            new ArrayList<SqlNode>());
    }
}

/**
 * {@code unnest(array)} as an expression: PostgreSQL's set-returning function in a select list
 * (SQLAlchemy's primary-key reflection: {@code SELECT unnest(ix.indkey) ...}); the select-list
 * rewrite (PgSelectListSrf) turns it into a lateral join. {@code FROM UNNEST(...)} stays Calcite's.
 */
SqlNode PgUnnestCall() :
{
    final Span s;
    final SqlNode arg;
}
{
    <UNNEST> { s = span(); }
    <LPAREN> arg = Expression(ExprContext.ACCEPT_SUB_QUERY) <RPAREN>
    {
        final List<SqlNode> args = new ArrayList<SqlNode>();
        args.add(arg);
        return createCall(new SqlIdentifier("unnest", s.pos()), s.end(this),
            SqlFunctionCategory.USER_DEFINED_FUNCTION, null, args);
    }
}

/* ---------------------------------------------------------------- types */

int PgTypeLength() :
{
    final int n;
}
{
    <LPAREN> n = UnsignedIntLiteral() <RPAREN> { return n; }
}

/**
 * Parses a PostgreSQL type name into its pg_type.typname (see SqlPgTypeNameSpec).
 * Any other simple name (uuid, jsonb, regclass, ...) is kept lower-cased.
 */
SqlTypeNameSpec PgTypeName() :
{
    final Span s;
    String name;
    int p = -1;
    int sc = -1;
    boolean serial = false;
    SqlIdentifier id;
}
{
    { s = span(); }
    [
        // Built-in types live in pg_catalog: pg_catalog.text is text.
        LOOKAHEAD({ getToken(2).kind == DOT && "pg_catalog".equalsIgnoreCase(getToken(1).image) })
        <IDENTIFIER> <DOT>
    ]
    (
        <BOOLEAN> { name = "bool"; }
    |
        <SMALLINT> { name = "int2"; }
    |
        ( <INTEGER> | <INT> ) { name = "int4"; }
    |
        <BIGINT> { name = "int8"; }
    |
        <REAL> { name = "float4"; }
    |
        <DOUBLE> [ <PRECISION> ] { name = "float8"; }
    |
        <FLOAT> [ p = PgTypeLength() ] {
            name = p >= 1 && p <= 24 ? "float4" : "float8";
            p = -1;
        }
    |
        ( <NUMERIC> | <DECIMAL> | <DEC> ) { name = "numeric"; }
        [
            <LPAREN> p = UnsignedIntLiteral()
            [ <COMMA> sc = UnsignedIntLiteral() ]
            <RPAREN>
        ]
    |
        <VARCHAR> { name = "varchar"; } [ p = PgTypeLength() ]
    |
        ( <CHARACTER> | <CHAR> )
        ( <VARYING> { name = "varchar"; } | { name = "bpchar"; } )
        [ p = PgTypeLength() ]
    |
        <DATE> { name = "date"; }
    |
        // interval as a type name; INTERVAL DAY etc. stay Calcite's qualified interval types
        LOOKAHEAD({ getToken(1).kind == INTERVAL && getToken(2).kind != YEAR && getToken(2).kind != YEARS
            && getToken(2).kind != QUARTER && getToken(2).kind != QUARTERS && getToken(2).kind != MONTH
            && getToken(2).kind != MONTHS && getToken(2).kind != WEEK && getToken(2).kind != WEEKS
            && getToken(2).kind != DAY && getToken(2).kind != DAYS && getToken(2).kind != HOUR
            && getToken(2).kind != HOURS && getToken(2).kind != MINUTE && getToken(2).kind != MINUTES
            && getToken(2).kind != SECOND && getToken(2).kind != SECONDS })
        <INTERVAL> { name = "interval"; }
    |
        <UUID> { name = "uuid"; }
    |
        <TIME> { name = "time"; }
        [ p = PgTypeLength() ]
        [
            LOOKAHEAD(2)
            <WITH> <TIME> <ZONE> { name = "timetz"; }
        |
            <WITHOUT> <TIME> <ZONE>
        ]
    |
        <TIMESTAMP> { name = "timestamp"; }
        [ p = PgTypeLength() ]
        [
            LOOKAHEAD(2)
            <WITH> <TIME> <ZONE> { name = "timestamptz"; }
        |
            LOOKAHEAD(2)
            <WITH> <LOCAL> <TIME> <ZONE> { name = "timestamptz"; }
        |
            <WITHOUT> <TIME> <ZONE>
        ]
    |
        id = SimpleIdentifier() {
            // Unquoted names are already lower case; quoted "char" is the 1-byte type.
            name = id.getSimple();
            switch (name) {
            case "bool": case "boolean": name = "bool"; break;
            case "int": case "integer": name = "int4"; break;
            case "serial": case "serial4": name = "int4"; serial = true; break;
            case "bigserial": case "serial8": name = "int8"; serial = true; break;
            case "smallserial": case "serial2": name = "int2"; serial = true; break;
            default: break;
            }
        }
        [
            <LPAREN> p = UnsignedIntLiteral()
            [ <COMMA> sc = UnsignedIntLiteral() ]
            <RPAREN>
        ]
    )
    // A one-dimensional array type: int4[] or integer ARRAY (SqlPgTypeNameSpec.isArray).
    [ LOOKAHEAD(2) <LBRACKET> <RBRACKET> { name = name + "[]"; } | <ARRAY> { name = name + "[]"; } ]
    { return new SqlPgTypeNameSpec(name, p, sc, serial, s.end(this)); }
}

/** Parses a PostgreSQL type for DDL: always a SqlPgTypeNameSpec inside. */
SqlDataTypeSpec PgDataType() :
{
    final SqlTypeNameSpec spec;
    final Span s;
}
{
    { s = span(); }
    spec = PgTypeName() {
        return new SqlDataTypeSpec(spec, s.end(this));
    }
}

/* ---------------------------------------------------------------- DDL */

boolean PgIfNotExists() :
{
}
{
    <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

boolean PgIfExists() :
{
}
{
    <IF> <EXISTS> { return true; }
|
    { return false; }
}

/** Parses optional CASCADE / RESTRICT; true for CASCADE. */
boolean PgCascadeOpt() :
{
}
{
    <CASCADE> { return true; }
|
    <RESTRICT> { return false; }
|
    { return false; }
}

SqlNodeList PgIdentifierList() :
{
    final List<SqlNode> list = new ArrayList<SqlNode>();
    SqlIdentifier id;
}
{
    id = CompoundIdentifier() { list.add(id); }
    ( <COMMA> id = CompoundIdentifier() { list.add(id); } )*
    { return new SqlNodeList(list, Span.of(list).pos()); }
}

/** CREATE DATABASE | TABLE | [UNIQUE] INDEX | SEQUENCE. */
SqlNode PgCreate() :
{
    final Span s;
    boolean unique = false;
    final SqlNode node;
}
{
    <CREATE> { s = span(); }
    (
        node = PgCreateDatabase(s)
    |
        node = PgCreateTable(s)
    |
        [ <UNIQUE> { unique = true; } ]
        node = PgCreateIndex(s, unique)
    |
        node = PgCreateSequence(s)
    |
        node = PgCreateRole(s, false)
    |
        <OR> <REPLACE> node = PgCreateView(s, true)
    |
        node = PgCreateView(s, false)
    )
    { return node; }
}

/** The query of CREATE VIEW / CREATE TABLE AS; pos[0] gets the span of its text. */
SqlNode PgDdlQuery(SqlParserPos[] pos) :
{
    final Token first;
    SqlNode q;
}
{
    { first = getToken(1); }
    q = QueryOrExpr(ExprContext.ACCEPT_QUERY)
    q = PgOrderByLimitOpt(q)
    {
        pos[0] = new SqlParserPos(first.beginLine, first.beginColumn, getToken(0).endLine,
            getToken(0).endColumn);
        return q;
    }
}

/** A parenthesized list of simple column names. */
SqlNodeList PgColumnNameList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
    SqlIdentifier id;
}
{
    <LPAREN> { s = span(); }
    id = SimpleIdentifier() { list.add(id); }
    ( <COMMA> id = SimpleIdentifier() { list.add(id); } )*
    <RPAREN>
    { return new SqlNodeList(list, s.end(this)); }
}

/**
 * [TEMP | TEMPORARY | RECURSIVE | MATERIALIZED] VIEW name [(column, ...)] AS query [WITH [CASCADED |
 * LOCAL] CHECK OPTION | WITH [NO] DATA], after CREATE [OR REPLACE]. The forms TroupeDB lacks parse,
 * so that running them is 0A000 naming them (not a syntax error).
 */
SqlNode PgCreateView(Span s, boolean orReplace) :
{
    final SqlIdentifier name;
    SqlNodeList columns = null;
    final SqlNode query;
    final SqlParserPos[] queryPos = new SqlParserPos[1];
    String unsupported = null;
    Token t;
}
{
    [
        <TEMPORARY> { unsupported = "CREATE TEMPORARY VIEW"; }
    |
        <RECURSIVE> { unsupported = "CREATE RECURSIVE VIEW"; }
    |
        t = <IDENTIFIER> {
            if (t.image.equalsIgnoreCase("temp")) {
                unsupported = "CREATE TEMPORARY VIEW";
            } else if (t.image.equalsIgnoreCase("materialized")) {
                unsupported = "CREATE MATERIALIZED VIEW";
            } else {
                throw pgError("syntax error at or near \"" + t.image + "\"");
            }
        }
    ]
    <VIEW> name = CompoundIdentifier()
    [ columns = PgColumnNameList() ]
    <AS> query = PgDdlQuery(queryPos)
    [
        <WITH>
        (
            [ <CASCADED> | <LOCAL> ] <CHECK> <OPTION> {
                if (unsupported == null) {
                    unsupported = "WITH CHECK OPTION";
                }
            }
        |
            [ <NO> ] <DATA>
        )
    ]
    {
        return new SqlCreateView(s.end(this), name, columns, query, orReplace, queryPos[0], unsupported);
    }
}

/** [(column, ...)] AS query [WITH [NO] DATA], after CREATE TABLE [IF NOT EXISTS] name. */
SqlNode PgCreateTableAs(Span s, SqlIdentifier name, boolean ifNotExists) :
{
    SqlNodeList columns = null;
    final SqlNode query;
    boolean withData = true;
}
{
    [ columns = PgColumnNameList() ]
    <AS> query = PgDdlQuery(new SqlParserPos[1])
    [ <WITH> [ <NO> { withData = false; } ] <DATA> ]
    { return new SqlCreateTableAs(s.end(this), name, ifNotExists, columns, query, withData); }
}

/* ---------------------------------------------------------------- roles and privileges */

/** ROLE | USER name [WITH] option..., after CREATE or ALTER. */
SqlNode PgCreateRole(Span s, boolean alter) :
{
    boolean user = false;
    final SqlIdentifier name;
    final List<SqlNode> opts = new ArrayList<SqlNode>();
}
{
    ( <ROLE> | <USER> { user = true; } )
    name = SimpleIdentifier()
    [ <WITH> ]
    ( PgRoleOption(opts) )*
    { return new SqlCreateRole(s.end(this), name, alter, user, new SqlNodeList(opts, s.pos())); }
}

/** ALTER ROLE | USER name [WITH] option... */
SqlNode PgAlterRole() :
{
    final Span s;
    final SqlNode node;
}
{
    <ALTER> { s = span(); } node = PgCreateRole(s, true) { return node; }
}

/**
 * A role option: a word (LOGIN, NOSUPERUSER, ...) or PASSWORD 'x' | PASSWORD NULL, as an EQUALS
 * call of the lower-case word and its value (TRUE for a bare word).
 */
void PgRoleOption(List<SqlNode> list) :
{
    final Span s;
    final SqlIdentifier id;
    SqlNode value = null;
}
{
    id = SimpleIdentifier() { s = span(); }
    [
        value = StringLiteral()
    |
        <NULL> { value = SqlLiteral.createNull(s.pos()); }
    ]
    {
        if (value == null) {
            value = SqlLiteral.createBoolean(true, s.pos());
        }
        list.add(SqlStdOperatorTable.EQUALS.createCall(s.end(this),
            new SqlIdentifier(id.getSimple().toLowerCase(Locale.ROOT), s.pos()), value));
    }
}

/** GRANT | REVOKE privilege [, ...] ON target TO | FROM grantee [, ...]. */
SqlNode PgGrant() :
{
    final Span s;
    final boolean grant;
    final List<SqlNode> privs = new ArrayList<SqlNode>();
    SqlGrant.Target target = SqlGrant.Target.TABLE;
    final SqlNodeList objects;
    final SqlNodeList grantees;
    SqlIdentifier id;
    boolean grantOption = false;
}
{
    ( <GRANT> { grant = true; } | <REVOKE> { grant = false; } ) { s = span(); }
    PgPrivilege(privs) ( <COMMA> PgPrivilege(privs) )*
    <ON>
    (
        <DATABASE> { target = SqlGrant.Target.DATABASE; } objects = PgIdentifierList()
    |
        <SCHEMA> { target = SqlGrant.Target.SCHEMA; } objects = PgIdentifierList()
    |
        <ALL> id = SimpleIdentifier() {
            if (!id.getSimple().equalsIgnoreCase("tables")) {
                throw pgError("syntax error at or near \"" + id.getSimple() + "\"");
            }
        }
        <IN> <SCHEMA> { target = SqlGrant.Target.ALL_TABLES_IN_SCHEMA; } objects = PgIdentifierList()
    |
        [ <TABLE> ] objects = PgIdentifierList()
    )
    ( <TO> | <FROM> )
    grantees = PgIdentifierList()
    [ <WITH> <GRANT> <OPTION> { grantOption = true; } ]
    PgCascadeOpt()
    {
        return new SqlGrant(s.end(this), grant, new SqlNodeList(privs, s.pos()), target, objects,
            grantees, grantOption);
    }
}

/** A privilege name as a lower-case identifier; ALL [PRIVILEGES] is "all". */
void PgPrivilege(List<SqlNode> list) :
{
    final String name;
    SqlIdentifier id;
}
{
    (
        <SELECT> { name = "select"; }
    |   <INSERT> { name = "insert"; }
    |   <UPDATE> { name = "update"; }
    |   <DELETE> { name = "delete"; }
    |   <REFERENCES> { name = "references"; }
    |   <TRIGGER> { name = "trigger"; }
    |   <CREATE> { name = "create"; }
    |   <CONNECT> { name = "connect"; }
    |   <ALL> [ <PRIVILEGES> ] { name = "all"; }
    |   id = SimpleIdentifier() { name = id.getSimple().toLowerCase(Locale.ROOT); }
    )
    { list.add(new SqlIdentifier(name, getPos())); }
}

SqlNode PgCreateDatabase(Span s) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
}
{
    <DATABASE> ifNotExists = PgIfNotExists() name = SimpleIdentifier() {
        return new SqlCreateDatabase(s.end(this), name, ifNotExists);
    }
}

SqlNode PgCreateTable(Span s) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final List<SqlNode> elements = new ArrayList<SqlNode>();
    final List<SqlNode> storage = new ArrayList<SqlNode>();
    final Span ls;
    Span os;
    final SqlNodeList elementList;
    SqlNodeList withOptions = null;
    final SqlNode as;
}
{
    <TABLE> ifNotExists = PgIfNotExists() name = CompoundIdentifier()
    (
        LOOKAHEAD(<AS> | <LPAREN> SimpleIdentifier() (<COMMA> | <RPAREN>))
        as = PgCreateTableAs(s, name, ifNotExists) { return as; }
    |
        { }
    )
    <LPAREN> { ls = span(); }
    PgTableElement(elements)
    ( <COMMA> PgTableElement(elements) )*
    <RPAREN> { elementList = new SqlNodeList(elements, ls.end(this)); }
    [
        <WITH> <LPAREN> { os = span(); }
        PgStorageOption(storage)
        ( <COMMA> PgStorageOption(storage) )*
        <RPAREN> { withOptions = new SqlNodeList(storage, os.end(this)); }
    ]
    {
        return new SqlCreateTable(s.end(this), name, ifNotExists, elementList, withOptions);
    }
}

/** A storage option of CREATE TABLE ... WITH (...): name [= value], as an EQUALS call. */
void PgStorageOption(List<SqlNode> list) :
{
    final SqlIdentifier name;
    SqlNode value = null;
}
{
    name = SimpleIdentifier()
    [ <EQ> value = PgSetValue() ]
    {
        list.add(SqlStdOperatorTable.EQUALS.createCall(name.getParserPosition(), name,
            value == null ? SqlLiteral.createBoolean(true, name.getParserPosition()) : value));
    }
}

void PgTableElement(List<SqlNode> list) :
{
    SqlIdentifier cname = null;
    final SqlNodeList cols;
    final Span s;
    boolean primaryKey;
    SqlNode c;
}
{
    { s = span(); }
    (
        [ <CONSTRAINT> cname = SimpleIdentifier() ]
        (
            (
                <PRIMARY> <KEY> { primaryKey = true; }
            |
                <UNIQUE> { primaryKey = false; }
            )
            cols = ParenthesizedSimpleIdentifierList() {
                list.add(new SqlTableConstraint(s.end(this), cname, primaryKey, cols));
            }
        |
            c = PgCheck(s, cname) { list.add(c); }
        |
            <FOREIGN> <KEY> cols = ParenthesizedSimpleIdentifierList()
            c = PgReferences(s, cname, cols) { list.add(c); }
        )
    |
        PgColumnDef(list)
    )
}

/** CHECK (expr) [NO INHERIT]; the expression's text position is kept for the catalog. */
SqlCheckConstraint PgCheck(Span s, SqlIdentifier cname) :
{
    final SqlNode e;
    final Token first;
}
{
    <CHECK> <LPAREN> { first = getToken(1); }
    e = Expression(ExprContext.ACCEPT_NON_QUERY)
    {
        final SqlParserPos text = new SqlParserPos(first.beginLine, first.beginColumn, token.endLine,
            token.endColumn);
    }
    <RPAREN>
    {
        return new SqlCheckConstraint(s.end(this), cname, e, text);
    }
}

/**
 * REFERENCES table [(cols)] followed by MATCH, ON DELETE / ON UPDATE actions and deferrability in
 * any order; {@code cols} null for the column form.
 */
SqlForeignKey PgReferences(Span s, SqlIdentifier cname, SqlNodeList cols) :
{
    final SqlIdentifier table;
    SqlNodeList refCols = null;
    SqlForeignKey.Action onDelete = SqlForeignKey.Action.NO_ACTION;
    SqlForeignKey.Action onUpdate = SqlForeignKey.Action.NO_ACTION;
    boolean matchFull = false;
    boolean deferrable = false;
}
{
    <REFERENCES> table = CompoundIdentifier()
    [ refCols = ParenthesizedSimpleIdentifierList() ]
    (
        // Two tokens decide: a column's NOT NULL after REFERENCES ends this loop.
        LOOKAHEAD(2)
        (
            <MATCH> ( <FULL> { matchFull = true; } | <SIMPLE> )
        |
            LOOKAHEAD(2) <ON> <DELETE> onDelete = PgFkAction()
        |
            <ON> <UPDATE> onUpdate = PgFkAction()
        |
            <NOT> <DEFERRABLE>
        |
            <DEFERRABLE> { deferrable = true; }
        |
            <INITIALLY> ( <IMMEDIATE> | <DEFERRED> { deferrable = true; } )
        )
    )*
    {
        return new SqlForeignKey(s.end(this), cname, cols, table, refCols, onDelete, onUpdate,
            matchFull, deferrable);
    }
}

SqlForeignKey.Action PgFkAction() :
{
}
{
    <CASCADE> { return SqlForeignKey.Action.CASCADE; }
|
    <RESTRICT> { return SqlForeignKey.Action.RESTRICT; }
|
    <NO> <ACTION> { return SqlForeignKey.Action.NO_ACTION; }
|
    LOOKAHEAD(2) <SET> <NULL> { return SqlForeignKey.Action.SET_NULL; }
|
    <SET> <DEFAULT_> { return SqlForeignKey.Action.SET_DEFAULT; }
}

void PgColumnDef(List<SqlNode> list) :
{
    final SqlIdentifier name;
    final SqlDataTypeSpec type;
    boolean notNull = false;
    SqlNode defaultValue = null;
    SqlParserPos defaultText = null;
    Token first;
    boolean primaryKey = false;
    boolean unique = false;
    final Span s;
    SqlIdentifier cname = null;
    final List<SqlNode> constraints = new ArrayList<SqlNode>();
    Span cs = null;
    SqlNode c;
}
{
    name = SimpleIdentifier() { s = span(); }
    type = PgDataType()
    (
        <CONSTRAINT> { cs = span(); } cname = SimpleIdentifier()
    |
        <NOT> <NULL> { notNull = true; cname = null; }
    |
        <NULL> { notNull = false; cname = null; }
    |
        <DEFAULT_> { first = getToken(1); }
        defaultValue = PgDefaultExpression() {
            // From its first token to its last, parentheses included (node positions omit them).
            defaultText = new SqlParserPos(first.beginLine, first.beginColumn, token.endLine,
                token.endColumn);
            cname = null;
        }
    |
        <PRIMARY> <KEY> { primaryKey = true; cname = null; }
    |
        <UNIQUE> { unique = true; cname = null; }
    |
        { if (cname == null) { cs = span(); } }
        c = PgCheck(cs, cname) { constraints.add(c); cname = null; }
    |
        { if (cname == null) { cs = span(); } }
        c = PgReferences(cs, cname, null) {
            constraints.add(((SqlForeignKey) c).onColumn(name));
            cname = null;
        }
    )*
    {
        list.add(new SqlColumnDef(s.end(this), name, type, notNull, defaultValue,
            primaryKey, unique, defaultText, new SqlNodeList(constraints, s.end(this))));
    }
}

/**
 * Parses a DEFAULT expression. A following "NOT NULL" is a column constraint, not
 * part of the expression: Calcite's binary-operator loop looks two tokens ahead.
 */
SqlNode PgDefaultExpression() :
{
    final SqlNode e;
}
{
    e = Expression(ExprContext.ACCEPT_NON_QUERY)
    { return e; }
}

SqlNode PgCreateIndex(Span s, boolean unique) :
{
    final boolean ifNotExists;
    SqlIdentifier name = null;
    final SqlIdentifier table;
    String using = null;
    SqlIdentifier method;
    final List<SqlNode> cols = new ArrayList<SqlNode>();
    final Span cs;
}
{
    <INDEX> ifNotExists = PgIfNotExists()
    [ name = SimpleIdentifier() ]
    <ON> table = CompoundIdentifier()
    [ <USING> method = SimpleIdentifier() { using = method.getSimple().toLowerCase(Locale.ROOT); } ]
    <LPAREN> { cs = span(); }
    PgIndexColumn(cols)
    ( <COMMA> PgIndexColumn(cols) )*
    <RPAREN> {
        return new SqlCreateIndex(s.end(this), name, table, new SqlNodeList(cols, cs.end(this)),
            unique, ifNotExists, using);
    }
}

void PgIndexColumn(List<SqlNode> list) :
{
    final SqlIdentifier id;
    boolean desc = false;
}
{
    id = SimpleIdentifier()
    [ <ASC> | <DESC> { desc = true; } ]
    [ <NULLS> ( <FIRST> | <LAST> ) ]
    {
        list.add(desc ? SqlStdOperatorTable.DESC.createCall(id.getParserPosition(), id) : id);
    }
}

SqlNode PgCreateSequence(Span s) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    SqlDataTypeSpec type = null;
    Long increment = null;
    Long min = null;
    Long max = null;
    Long start = null;
    Long cache = null;
    boolean cycle = false;
}
{
    <SEQUENCE> ifNotExists = PgIfNotExists() name = CompoundIdentifier()
    (
        <AS> type = PgDataType()
    |
        <INCREMENT> [ <BY> ] increment = PgSignedLong()
    |
        <MINVALUE> min = PgSignedLong()
    |
        <MAXVALUE> max = PgSignedLong()
    |
        <NO> ( <MINVALUE> { min = null; } | <MAXVALUE> { max = null; } | <CYCLE> { cycle = false; } )
    |
        <START> [ <WITH> ] start = PgSignedLong()
    |
        <CACHE> cache = PgSignedLong()
    |
        <CYCLE> { cycle = true; }
    )*
    {
        return new SqlCreateSequence(s.end(this), name, ifNotExists, type, increment, min, max,
            start, cache, cycle);
    }
}

Long PgSignedLong() :
{
    boolean negative = false;
}
{
    [ <MINUS> { negative = true; } | <PLUS> ]
    <UNSIGNED_INTEGER_LITERAL> {
        try {
            long v = Long.parseLong(token.image);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw SqlUtil.newContextException(getPos(),
                RESOURCE.numberLiteralOutOfRange(token.image));
        }
    }
}

/** ALTER TABLE [IF EXISTS] name with one ADD / DROP COLUMN, ADD constraint or RENAME action. */
SqlNode PgAlterTable() :
{
    final Span s;
    final boolean ifExists;
    final SqlIdentifier name;
    final List<SqlNode> elements = new ArrayList<SqlNode>();
    final SqlIdentifier column;
    final SqlIdentifier newName;
    boolean elementIfExists = false;
    boolean cascade;
}
{
    <ALTER> { s = span(); } <TABLE> ifExists = PgIfExists() name = CompoundIdentifier()
    (
        <ADD>
        (
            <COLUMN> elementIfExists = PgIfNotExists() PgColumnDef(elements)
        |
            LOOKAHEAD(3) <IF> <NOT> <EXISTS> { elementIfExists = true; } PgColumnDef(elements)
        |
            PgTableElement(elements)
        )
        {
            final SqlNode e = elements.get(0);
            return new SqlAlterTable(s.end(this), name, ifExists,
                e instanceof SqlColumnDef
                    ? SqlAlterTable.Action.ADD_COLUMN : SqlAlterTable.Action.ADD_CONSTRAINT,
                e, null, elementIfExists);
        }
    |
        LOOKAHEAD(2) <DROP> <CONSTRAINT>
        elementIfExists = PgIfExists()
        column = SimpleIdentifier()
        PgCascadeOpt()
        {
            return new SqlAlterTable(s.end(this), name, ifExists,
                SqlAlterTable.Action.DROP_CONSTRAINT, column, null, elementIfExists);
        }
    |
        <DROP> [ <COLUMN> ]
        elementIfExists = PgIfExists()
        column = SimpleIdentifier()
        cascade = PgCascadeOpt()
        {
            return new SqlAlterTable(s.end(this), name, ifExists,
                SqlAlterTable.Action.DROP_COLUMN, column, null, elementIfExists)
                .withDetail(null, null, null, cascade);
        }
    |
        <ALTER> [ <COLUMN> ] column = SimpleIdentifier() {
            return PgAlterColumn(s, name, ifExists, column);
        }
    |
        <RENAME>
        (
            <TO> newName = CompoundIdentifier() {
                return new SqlAlterTable(s.end(this), name, ifExists,
                    SqlAlterTable.Action.RENAME_TABLE, null, newName, false);
            }
        |
            [ <COLUMN> ] column = SimpleIdentifier() <TO> newName = SimpleIdentifier() {
                return new SqlAlterTable(s.end(this), name, ifExists,
                    SqlAlterTable.Action.RENAME_COLUMN, column, newName, false);
            }
        )
    )
}

/**
 * The action of ALTER TABLE … ALTER [COLUMN] column: SET DEFAULT expr | DROP DEFAULT | SET NOT NULL
 * | DROP NOT NULL | [SET DATA] TYPE type [USING expr].
 */
SqlNode PgAlterColumn(Span s, SqlIdentifier name, boolean ifExists, SqlIdentifier column) :
{
    final SqlNode value;
    final SqlDataTypeSpec type;
    SqlNode using = null;
    Token first;
}
{
    (
        LOOKAHEAD(2) <SET> <DEFAULT_> { first = getToken(1); } value = PgDefaultExpression() {
            return new SqlAlterTable(s.end(this), name, ifExists, SqlAlterTable.Action.SET_DEFAULT, column,
                null, false).withDetail(value, new SqlParserPos(first.beginLine, first.beginColumn,
                    token.endLine, token.endColumn), null, false);
        }
    |
        LOOKAHEAD(2) <DROP> <DEFAULT_> {
            return new SqlAlterTable(s.end(this), name, ifExists, SqlAlterTable.Action.DROP_DEFAULT, column,
                null, false);
        }
    |
        LOOKAHEAD(2) <SET> <NOT> <NULL> {
            return new SqlAlterTable(s.end(this), name, ifExists, SqlAlterTable.Action.SET_NOT_NULL, column,
                null, false);
        }
    |
        <DROP> <NOT> <NULL> {
            return new SqlAlterTable(s.end(this), name, ifExists, SqlAlterTable.Action.DROP_NOT_NULL, column,
                null, false);
        }
    |
        [ <SET> <DATA> ] <TYPE> type = PgDataType()
        [ <USING> using = Expression(ExprContext.ACCEPT_NON_QUERY) ]
        {
            return new SqlAlterTable(s.end(this), name, ifExists, SqlAlterTable.Action.ALTER_TYPE, column,
                null, false).withDetail(type, null, using, false);
        }
    )
}

/** DROP DATABASE | TABLE | INDEX | SEQUENCE. */
SqlNode PgDrop() :
{
    final Span s;
    final boolean ifExists;
    final SqlIdentifier name;
    final SqlNodeList names;
    final boolean cascade;
}
{
    <DROP> { s = span(); }
    (
        ( <ROLE> | <USER> ) ifExists = PgIfExists() names = PgIdentifierList() {
            return new SqlDropRole(s.end(this), names, ifExists);
        }
    |
        <DATABASE> ifExists = PgIfExists() name = SimpleIdentifier() PgCascadeOpt() {
            return new SqlDropDatabase(s.end(this), name, ifExists);
        }
    |
        <TABLE> ifExists = PgIfExists() names = PgIdentifierList() cascade = PgCascadeOpt() {
            return new SqlDropTable(s.end(this), names, ifExists, cascade);
        }
    |
        <VIEW> ifExists = PgIfExists() names = PgIdentifierList() cascade = PgCascadeOpt() {
            return new SqlDropView(s.end(this), names, ifExists, cascade);
        }
    |
        <INDEX> ifExists = PgIfExists() name = CompoundIdentifier() PgCascadeOpt() {
            return new SqlDropIndex(s.end(this), name, ifExists);
        }
    |
        <SEQUENCE> ifExists = PgIfExists() name = CompoundIdentifier() PgCascadeOpt() {
            return new SqlDropSequence(s.end(this), name, ifExists);
        }
    )
}

/**
 * COMMENT ON TABLE | VIEW | COLUMN | INDEX | SEQUENCE | DATABASE | SCHEMA name IS 'text' | NULL.
 * COMMENT is not a keyword (a column may be called comment), so it is matched by its spelling.
 */
SqlNode PgComment() :
{
    final Span s;
    final String kind;
    final SqlIdentifier name;
    final SqlNode text;
}
{
    LOOKAHEAD({ getToken(1).kind == IDENTIFIER && getToken(1).image.equalsIgnoreCase("COMMENT")
        && getToken(2).kind == ON })
    <IDENTIFIER> { s = span(); }
    <ON>
    (
        <TABLE> { kind = "TABLE"; }
    |   <VIEW> { kind = "VIEW"; }
    |   <COLUMN> { kind = "COLUMN"; }
    |   <INDEX> { kind = "INDEX"; }
    |   <SEQUENCE> { kind = "SEQUENCE"; }
    |   <DATABASE> { kind = "DATABASE"; }
    |   <SCHEMA> { kind = "SCHEMA"; }
    )
    name = CompoundIdentifier()
    <IS>
    (
        text = StringLiteral()
    |
        <NULL> { text = SqlLiteral.createNull(getPos()); }
    )
    { return new SqlComment(s.end(this), kind, name, text); }
}

/** TRUNCATE [TABLE] name, ... [CASCADE | RESTRICT]. */
SqlNode PgTruncate() :
{
    final Span s;
    final SqlNodeList names;
}
{
    <TRUNCATE> { s = span(); }
    [ <TABLE> ]
    names = PgIdentifierList()
    PgCascadeOpt()
    { return new SqlTruncateTable(s.end(this), names); }
}

/* ---------------------------------------------------------------- transactions */

/** Parses transaction modes into modes[0] (IsolationLevel) and modes[1] (Boolean read only). */
void PgTransactionModes(Object[] modes) :
{
}
{
    [
        PgTransactionMode(modes)
        ( [ <COMMA> ] PgTransactionMode(modes) )*
    ]
}

void PgTransactionMode(Object[] modes) :
{
}
{
    <ISOLATION> <LEVEL>
    (
        <SERIALIZABLE> { modes[0] = IsolationLevel.SERIALIZABLE; }
    |
        <REPEATABLE> <READ> { modes[0] = IsolationLevel.REPEATABLE_READ; }
    |
        <READ>
        (
            <COMMITTED> { modes[0] = IsolationLevel.READ_COMMITTED; }
        |
            <UNCOMMITTED> { modes[0] = IsolationLevel.READ_UNCOMMITTED; }
        )
    )
|
    <READ>
    (
        <ONLY> { modes[1] = Boolean.TRUE; }
    |
        <WRITE> { modes[1] = Boolean.FALSE; }
    )
|
    [ <NOT> ] <DEFERRABLE>
}

/**
 * BEGIN [TRANSACTION | WORK] [AS OF SYSTEM TIME expr] [modes] | START TRANSACTION [modes]
 * (AS OF SYSTEM TIME: CockroachDB's read-only transaction at a past time).
 */
SqlNode PgBegin() :
{
    final Span s;
    final Object[] modes = new Object[2];
    boolean start = false;
    SqlNode asOf = null;
}
{
    (
        <BEGIN> { s = span(); } [ <TRANSACTION> | <WORK> ]
        [ <AS_OF_SYSTEM_TIME> asOf = Expression3(ExprContext.ACCEPT_NON_QUERY) ]
    |
        <START> { s = span(); start = true; } <TRANSACTION>
    )
    PgTransactionModes(modes)
    {
        return new SqlBeginTransaction(s.end(this), (IsolationLevel) modes[0], (Boolean) modes[1],
            start, asOf);
    }
}

/** COMMIT | END [WORK | TRANSACTION]. */
SqlNode PgCommit() :
{
    final Span s;
}
{
    ( <COMMIT> | <END> ) { s = span(); }
    [ <WORK> | <TRANSACTION> ]
    { return new SqlCommit(s.end(this)); }
}

/** ROLLBACK | ABORT [WORK | TRANSACTION] [TO [SAVEPOINT] name]. */
SqlNode PgRollback() :
{
    final Span s;
    SqlIdentifier savepoint = null;
}
{
    ( <ROLLBACK> | <ABORT> ) { s = span(); }
    [ <WORK> | <TRANSACTION> ]
    [ <TO> [ <SAVEPOINT> ] savepoint = SimpleIdentifier() ]
    { return new SqlRollback(s.end(this), savepoint); }
}

/** SAVEPOINT name. */
SqlNode PgSavepoint() :
{
    final Span s;
    final SqlIdentifier name;
}
{
    <SAVEPOINT> { s = span(); } name = SimpleIdentifier() {
        return new SqlSavepoint(s.end(this), name);
    }
}

/** RELEASE [SAVEPOINT] name. */
SqlNode PgRelease() :
{
    final Span s;
    final SqlIdentifier name;
}
{
    <RELEASE> { s = span(); } [ <SAVEPOINT> ] name = SimpleIdentifier() {
        return new SqlReleaseSavepoint(s.end(this), name);
    }
}

/* ---------------------------------------------------------------- session */

/** A run-time parameter name: identifiers joined with dots. */
String PgVarName() :
{
    final SqlIdentifier id;
}
{
    id = CompoundIdentifier() { return String.join(".", id.names); }
}

/** A SET value: string, signed number, TRUE / FALSE / ON, or a name. */
SqlNode PgSetValue() :
{
    final SqlNode e;
}
{
    (
        e = StringLiteral()
    |
        e = NumericLiteral()
    |
        <TRUE> { e = SqlLiteral.createBoolean(true, getPos()); }
    |
        <FALSE> { e = SqlLiteral.createBoolean(false, getPos()); }
    |
        <ON> { e = new SqlIdentifier("on", getPos()); }
    |
        <LOCAL> { e = new SqlIdentifier("local", getPos()); }
    |
        e = SimpleIdentifier()
    )
    { return e; }
}

/**
 * SET [SESSION | LOCAL] name {TO | =} value, ... | DEFAULT; SET [SESSION | LOCAL] TIME ZONE value;
 * SET NAMES value (client_encoding); SET SCHEMA value (search_path); SET ROLE value (role);
 * SET TRANSACTION modes; SET SESSION CHARACTERISTICS AS TRANSACTION modes.
 */
SqlNode PgSet() :
{
    final Span s;
    boolean local = false;
    String name;
    final List<SqlNode> values = new ArrayList<SqlNode>();
    SqlNode v;
    final Object[] modes = new Object[2];
}
{
    <SET> { s = span(); }
    (
        <TRANSACTION> PgTransactionModes(modes) {
            return new SqlSetTransaction(s.end(this), (IsolationLevel) modes[0], (Boolean) modes[1]);
        }
    |
        LOOKAHEAD(2)
        <SESSION> <CHARACTERISTICS> <AS> <TRANSACTION> PgTransactionModes(modes) {
            return new SqlSetTransaction(s.end(this), (IsolationLevel) modes[0], (Boolean) modes[1],
                true);
        }
    |
        [ LOOKAHEAD(2) ( <SESSION> | <LOCAL> { local = true; } ) ]
        (
            (
                <TIME> <ZONE> { name = "timezone"; }
            |
                LOOKAHEAD(2) <NAMES> { name = "client_encoding"; }
            |
                LOOKAHEAD(2) <SCHEMA> { name = "search_path"; }
            |
                LOOKAHEAD(2) <ROLE> { name = "role"; }
            )
            (
                <DEFAULT_>
            |
                v = PgSetValue() { values.add(v); }
            )
        |
            name = PgVarName()
            ( <TO> | <EQ> )
            (
                <DEFAULT_>
            |
                v = PgSetValue() { values.add(v); }
                ( <COMMA> v = PgSetValue() { values.add(v); } )*
            )
        )
        {
            return new SqlSetVariable(s.end(this), name, new SqlNodeList(values, s.pos()), local);
        }
    )
}

/** RESET name | RESET ALL | RESET TIME ZONE. */
SqlNode PgReset() :
{
    final Span s;
    String name = null;
}
{
    <RESET> { s = span(); }
    (
        <ALL>
    |
        <TIME> <ZONE> { name = "timezone"; }
    |
        name = PgVarName()
    )
    { return new SqlResetVariable(s.end(this), name); }
}

/** SHOW name | SHOW ALL | SHOW TIME ZONE | SHOW TRANSACTION ISOLATION LEVEL. */
SqlNode PgShow() :
{
    final Span s;
    String name = null;
}
{
    <SHOW> { s = span(); }
    (
        <ALL>
    |
        <TIME> <ZONE> { name = "timezone"; }
    |
        LOOKAHEAD(2)
        <TRANSACTION> <ISOLATION> <LEVEL> { name = "transaction_isolation"; }
    |
        name = PgVarName()
    )
    { return new SqlShowVariable(s.end(this), name); }
}

/* ---------------------------------------------------------------- DML */

/** RETURNING * | expr [[AS] alias], ... */
SqlNodeList PgReturning() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <RETURNING> { s = span(); }
    AddSelectItem(list)
    ( <COMMA> AddSelectItem(list) )*
    { return new SqlNodeList(list, s.end(this)); }
}

/** ON CONFLICT [(cols) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET col = expr, ... [WHERE cond]. */
SqlOnConflict PgOnConflict() :
{
    final Span s;
    SqlNodeList target = null;
    SqlIdentifier constraint = null;
    final List<SqlNode> columns = new ArrayList<SqlNode>();
    final List<SqlNode> values = new ArrayList<SqlNode>();
    SqlIdentifier id;
    SqlNode where = null;
}
{
    <ON> { s = span(); } <CONFLICT>
    [
        target = ParenthesizedSimpleIdentifierList()
    |
        <ON> <CONSTRAINT> constraint = SimpleIdentifier()
    ]
    <DO>
    (
        <NOTHING> {
            return new SqlOnConflict(s.end(this), target, constraint, null, null, null);
        }
    |
        <UPDATE> <SET>
        id = SimpleIdentifier() { columns.add(id); }
        <EQ> AddExpression(values, ExprContext.ACCEPT_SUB_QUERY)
        (
            <COMMA>
            id = SimpleIdentifier() { columns.add(id); }
            <EQ> AddExpression(values, ExprContext.ACCEPT_SUB_QUERY)
        )*
        [ where = Where() ]
        {
            return new SqlOnConflict(s.end(this), target, constraint,
                new SqlNodeList(columns, Span.of(columns).pos()),
                new SqlNodeList(values, Span.of(values).pos()), where);
        }
    )
}

/**
 * INSERT | UPSERT INTO table [(cols)] {query | DEFAULT VALUES} [ON CONFLICT ...] [RETURNING ...].
 * Returns a bare SqlInsert unless UPSERT, DEFAULT VALUES, ON CONFLICT or RETURNING is present.
 */
SqlNode PgInsert() :
{
    final Span s;
    final List<SqlLiteral> keywords = new ArrayList<SqlLiteral>();
    boolean upsert = false;
    final SqlIdentifier table;
    SqlNodeList columns = null;
    SqlNode source;
    boolean defaultValues = false;
    SqlOnConflict onConflict = null;
    SqlNodeList returning = null;
    final SqlInsert insert;
}
{
    (
        <INSERT> { s = span(); }
    |
        <UPSERT> {
            s = span();
            upsert = true;
            keywords.add(SqlInsertKeyword.UPSERT.symbol(getPos()));
        }
    )
    <INTO> table = CompoundTableIdentifier()
    [ LOOKAHEAD(2) columns = ParenthesizedSimpleIdentifierList() ]
    (
        <DEFAULT_> <VALUES> {
            defaultValues = true;
            source = SqlStdOperatorTable.VALUES.createCall(getPos(),
                SqlStdOperatorTable.ROW.createCall(getPos()));
        }
    |
        source = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    )
    {
        insert = new SqlInsert(s.end(this), new SqlNodeList(keywords, s.pos()), table, source,
            columns);
    }
    [ onConflict = PgOnConflict() ]
    [ returning = PgReturning() ]
    {
        if (!upsert && !defaultValues && onConflict == null && returning == null) {
            return insert;
        }
        return new SqlPgInsert(s.end(this), insert, onConflict, returning, upsert, defaultValues);
    }
}

/** Calcite's UPDATE followed by an optional RETURNING list. */
SqlNode PgUpdate() :
{
    final SqlNode update;
    SqlNodeList returning = null;
}
{
    update = SqlUpdate()
    [ returning = PgReturning() ]
    {
        if (returning == null) {
            return update;
        }
        return new SqlReturning(Span.of(update).end(this), (SqlCall) update, returning);
    }
}

/** Calcite's DELETE followed by an optional RETURNING list. */
SqlNode PgDelete() :
{
    final SqlNode delete;
    SqlNodeList returning = null;
}
{
    delete = SqlDelete()
    [ returning = PgReturning() ]
    {
        if (returning == null) {
            return delete;
        }
        return new SqlReturning(Span.of(delete).end(this), (SqlCall) delete, returning);
    }
}

/* ---------------------------------------------------------------- COPY */

/**
 * COPY table [(cols)] {FROM STDIN | TO STDOUT} [[WITH] (option [value], ...) | old-style options],
 * or COPY (query) TO STDOUT [...] (the query carried as PREPARE carries its statement).
 * STDIN and STDOUT are plain names here, checked in Java.
 */
SqlNode PgCopy() :
{
    final Span s;
    SqlIdentifier table = null;
    SqlNodeList columns = null;
    SqlNodeList query = null;
    SqlParserPos start;
    SqlNode q;
    final boolean from;
    final SqlIdentifier stream;
    final List<SqlNode> opts = new ArrayList<SqlNode>();
}
{
    <COPY> { s = span(); }
    (
        <LPAREN> { start = pgNextTokenPos(); }
        q = SqlStmt() { query = SqlPrepare.carried(q, start, getPos()); }
        <RPAREN> <TO> { from = false; }
    |
        table = CompoundIdentifier()
        [ columns = ParenthesizedSimpleIdentifierList() ]
        (
            <FROM> { from = true; }
        |
            <TO> { from = false; }
        )
    )
    stream = SimpleIdentifier() {
        final String expected = from ? "stdin" : "stdout";
        if (!stream.getSimple().equalsIgnoreCase(expected)) {
            throw pgError("COPY " + (from ? "FROM" : "TO") + " supports only "
                + expected.toUpperCase(Locale.ROOT));
        }
    }
    [ <WITH> ]
    (
        <LPAREN>
        PgCopyOption(opts, true)
        ( <COMMA> PgCopyOption(opts, true) )*
        <RPAREN>
    |
        ( PgCopyOption(opts, false) )*
    )
    { return new SqlCopy(s.end(this), table, columns, from, new SqlNodeList(opts, s.pos()), query); }
}

/**
 * A COPY option: name [value] in parentheses, or the old unparenthesized forms (BINARY, CSV,
 * HEADER, DELIMITER [AS] 'x', NULL [AS] 'x', ...), whose values are always strings.
 */
void PgCopyOption(List<SqlNode> list, boolean parenthesized) :
{
    final Span s;
    String name;
    SqlIdentifier id;
    SqlNode value = null;
}
{
    { s = span(); }
    (
        <NULL> { name = "null"; } [ <AS> ] value = StringLiteral()
    |
        <ESCAPE> { name = "escape"; } [ <AS> ] value = StringLiteral()
    |
        id = SimpleIdentifier() { name = id.getSimple().toLowerCase(Locale.ROOT); }
        (
            LOOKAHEAD({ parenthesized }) [ value = PgSetValue() ]
        |
            [ [ <AS> ] value = StringLiteral() ]
        )
    )
    {
        if (name.equals("csv") || name.equals("binary")) {
            if (value != null) {
                throw pgError("unexpected value after " + name);
            }
            value = SqlLiteral.createCharString(name, s.pos());
            name = "format";
        }
        if (value == null) {
            value = SqlLiteral.createBoolean(true, s.pos());
        }
        list.add(SqlStdOperatorTable.EQUALS.createCall(s.end(this),
            new SqlIdentifier(name, s.pos()), value));
    }
}

/* ---------------------------------------------------------------- maintenance */

/** VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] [tables] | VACUUM (options) [tables] | ANALYZE [VERBOSE] [tables]. */
SqlNode PgVacuum() :
{
    final Span s;
    boolean vacuum = true;
    boolean analyze = false;
    SqlIdentifier id;
    SqlNodeList tables = SqlNodeList.EMPTY;
}
{
    (
        <VACUUM> { s = span(); }
        (
            <LPAREN>
            id = SimpleIdentifier() {
                analyze |= id.getSimple().equalsIgnoreCase("analyze");
            }
            [ PgSetValue() ]
            (
                <COMMA> id = SimpleIdentifier() {
                    analyze |= id.getSimple().equalsIgnoreCase("analyze");
                }
                [ PgSetValue() ]
            )*
            <RPAREN>
        |
            [ <FULL> ]
            [
                LOOKAHEAD({ getToken(1).kind == IDENTIFIER
                    && getToken(1).image.equalsIgnoreCase("freeze") })
                <IDENTIFIER>
            ]
            [ <VERBOSE> ]
            [ <ANALYZE> { analyze = true; } ]
        )
    |
        <ANALYZE> { s = span(); vacuum = false; analyze = true; }
        [ <VERBOSE> ]
    )
    [ tables = PgIdentifierList() ]
    { return new SqlVacuum(s.end(this), tables, vacuum, analyze); }
}

/* ---------------------------------------------------------------- queries */

/** EXPLAIN [ANALYZE] [VERBOSE] statement. NB: replaces Calcite's EXPLAIN PLAN FOR. */
SqlNode PgExplain() :
{
    final Span s;
    boolean analyze = false;
    boolean verbose = false;
    final SqlNode stmt;
}
{
    <EXPLAIN> { s = span(); }
    [ <ANALYZE> { analyze = true; } ]
    [ <VERBOSE> { verbose = true; } ]
    stmt = SqlStmt()
    { return new SqlPgExplain(s.end(this), stmt, analyze, verbose); }
}

/** A LIMIT or OFFSET count: a number, ?, or $n (Calcite's own clause takes no $n). */
SqlNode PgLimitCount() :
{
    final SqlNode e;
}
{
    (
        e = UnsignedNumericLiteral()
    |
        e = DynamicParam()
    |
        e = PgParam()
    )
    { return e; }
}

/**
 * Calcite's OrderByLimitOpt for a top-level query, PostgreSQL style:
 * [ORDER BY ...] then LIMIT {n | ALL} and OFFSET n [ROW | ROWS] in either order, or
 * FETCH {FIRST | NEXT} n {ROW | ROWS} ONLY; counts may be $n parameters.
 */
SqlNode PgOrderByLimitOpt(SqlNode e) :
{
    final SqlNodeList orderBy;
    final Span s = Span.of();
    SqlNode offset = null;
    SqlNode fetch = null;
}
{
    (
        orderBy = OrderBy(e.isA(SqlKind.QUERY))
    |
        { orderBy = null; }
    )
    (
        <LIMIT> { s.add(this); }
        ( fetch = PgLimitCount() | <ALL> )
        [ <OFFSET> { s.add(this); } offset = PgLimitCount() [ <ROW> | <ROWS> ] ]
    |
        <OFFSET> { s.add(this); } offset = PgLimitCount() [ <ROW> | <ROWS> ]
        [
            <LIMIT> { s.add(this); } ( fetch = PgLimitCount() | <ALL> )
        |
            <FETCH> ( <FIRST> | <NEXT> ) fetch = PgLimitCount() ( <ROW> | <ROWS> ) <ONLY>
        ]
    |
        <FETCH> ( <FIRST> | <NEXT> ) fetch = PgLimitCount() ( <ROW> | <ROWS> ) <ONLY>
    |
        { }
    )
    {
        if (orderBy != null || offset != null || fetch != null) {
            return new SqlOrderBy(getPos(), e, Util.first(orderBy, SqlNodeList.EMPTY),
                offset, fetch);
        }
        return e;
    }
}

/**
 * The SELECT that AS OF SYSTEM TIME interrupted right after its FROM clause; fails when the
 * query has already had WHERE, GROUP BY, HAVING, ORDER BY or LIMIT (they belong after it).
 */
JAVACODE SqlSelect pgSelectAwaitingClauses(SqlNode q, String clause)
{
    if (q instanceof SqlSelect) {
        final SqlSelect select = (SqlSelect) q;
        final boolean free = clause.equals("WHERE")
            ? select.getWhere() == null && select.getGroup() == null && select.getHaving() == null
            : clause.equals("GROUP BY")
            ? select.getGroup() == null && select.getHaving() == null
            : select.getHaving() == null;
        if (select.getFrom() != null && free) {
            return select;
        }
    }
    throw pgError(clause + " is not allowed here after AS OF SYSTEM TIME");
}

/**
 * A query with optional PostgreSQL / CockroachDB suffixes:
 * [AS OF SYSTEM TIME expr [WHERE ...] [GROUP BY ...] [HAVING ...] [ORDER BY ...] [LIMIT ...]]
 * [FOR {UPDATE | NO KEY UPDATE | SHARE | KEY SHARE} [OF t, ...] [NOWAIT | SKIP LOCKED]].
 */
SqlNode PgQuery() :
{
    SqlNode q;
    final SqlNode ts;
    LockStrength strength;
    SqlNodeList of = null;
    boolean nowait = false;
    boolean skipLocked = false;
    SqlNode before;
    SqlNode where;
    SqlNodeList groupBy;
    SqlNode having;
}
{
    q = QueryOrExpr(ExprContext.ACCEPT_QUERY)
    q = PgOrderByLimitOpt(q)
    [
        <AS_OF_SYSTEM_TIME> ts = Expression3(ExprContext.ACCEPT_NON_QUERY)
        // CockroachDB's place for the clause is right after FROM, before WHERE etc.:
        // Calcite's SELECT stopped at it, so the rest of that SELECT continues here.
        [
            where = Where() {
                pgSelectAwaitingClauses(q, "WHERE").setWhere(where);
            }
        ]
        [
            groupBy = GroupBy() {
                pgSelectAwaitingClauses(q, "GROUP BY").setGroupBy(groupBy);
            }
        ]
        [
            having = Having() {
                pgSelectAwaitingClauses(q, "HAVING").setHaving(having);
            }
        ]
        { before = q; }
        q = PgOrderByLimitOpt(q)
        {
            if (q != before && !(before instanceof SqlSelect)) {
                throw SqlUtil.newContextException(getPos(), RESOURCE.illegalOrderBy());
            }
        }
        {
            q = new SqlAsOfSystemTime(Span.of(q).end(this), q, ts);
        }
    ]
    [
        (
            <FOR_UPDATE> { strength = LockStrength.UPDATE; }
        |
            <FOR_NO_KEY_UPDATE> { strength = LockStrength.NO_KEY_UPDATE; }
        |
            <FOR_SHARE> { strength = LockStrength.SHARE; }
        |
            <FOR_KEY_SHARE> { strength = LockStrength.KEY_SHARE; }
        )
        [ <OF> of = PgIdentifierList() ]
        [ <NOWAIT> { nowait = true; } | <SKIP_LOCKED> { skipLocked = true; } ]
        {
            q = new SqlSelectLocking(Span.of(q).end(this), q, strength, of, nowait, skipLocked);
        }
    ]
    { return q; }
}

/**
 * A select-list alias after AS that is one of PostgreSQL's reserved keywords (its ColLabel):
 * {@code SELECT ... AS default} (SQLAlchemy's column reflection), {@code AS user}, {@code AS from}.
 * PostgreSQL folds it to a lower-case name. Without AS these stay reserved, as in PostgreSQL.
 * Called from Calcite's AddSelectItem, which the build extends (sql-frontend/pom.xml, antrun).
 */
SqlIdentifier PgReservedColLabel() :
{
}
{
    (
        <DEFAULT_> | <CHECK> | <COLUMN> | <CONSTRAINT> | <CREATE> | <FOREIGN> | <PRIMARY>
    |   <REFERENCES> | <TABLE> | <UNIQUE> | <USER> | <ALL> | <AND> | <ANY> | <ARRAY> | <AS> | <ASC>
    |   <ASYMMETRIC> | <BOTH> | <CASE> | <CAST> | <COLLATE> | <CURRENT_DATE> | <CURRENT_ROLE>
    |   <CURRENT_TIME> | <CURRENT_TIMESTAMP> | <CURRENT_USER> | <DESC> | <DISTINCT> | <ELSE> | <END>
    |   <EXCEPT> | <FALSE> | <FETCH> | <FOR> | <FROM> | <GRANT> | <GROUP> | <HAVING> | <IN>
    |   <INTERSECT> | <INTO> | <LATERAL> | <LEADING> | <LIMIT> | <LOCALTIME> | <LOCALTIMESTAMP>
    |   <NOT> | <NULL> | <OFFSET> | <ON> | <ONLY> | <OR> | <ORDER> | <SELECT> | <SESSION_USER>
    |   <SOME> | <SYMMETRIC> | <THEN> | <TO> | <TRAILING> | <TRUE> | <UNION> | <USING> | <WHEN>
    |   <WHERE> | <WINDOW> | <WITH>
    )
    { return new SqlIdentifier(token.image.toLowerCase(Locale.ROOT), getPos()); }
}
