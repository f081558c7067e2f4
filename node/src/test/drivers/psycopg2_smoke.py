"""psycopg2 against a TroupeDB node: parameters of each common type, commit and rollback,
errors with their SQLSTATE, and the connection still usable after them. Run by DriversIT as
`python3 psycopg2_smoke.py PORT`; prints one line per check and exits non-zero on the first
wrong answer."""
import datetime
import decimal
import sys

import psycopg2
import psycopg2.errors


def expect(what, actual, expected):
    if actual != expected:
        print(f"FAIL {what}: expected {expected!r}, got {actual!r}")
        sys.exit(1)
    print(f"ok {what}")


def main(port):
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="root", dbname="defaultdb", connect_timeout=30)
    cur = conn.cursor()
    cur.execute("CREATE TABLE py_items (id INT PRIMARY KEY, name TEXT, qty INT, price NUMERIC(10,2),"
                " seen_at TIMESTAMP, data BYTEA, note TEXT)")
    conn.commit()

    stamp = datetime.datetime(2024, 5, 6, 7, 8, 9, 123000)
    # psycopg2 adapts a datetime as '2024-05-06T07:08:09.123000'::timestamp and bytes as
    # '\x0001ff'::bytea (hex); both must come back as the same datetime and bytes.
    cur.execute("INSERT INTO py_items VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (1, "it's a widget", 3, decimal.Decimal("9.99"), stamp, psycopg2.Binary(b"\x00\x01\xff"), None))
    conn.commit()
    cur.execute("SELECT id, name, qty, price, seen_at, data, note FROM py_items WHERE id = %s AND name = %s",
                (1, "it's a widget"))
    row = cur.fetchone()
    expect("parameters round-trip", (row[0], row[1], row[2], row[3], row[4], bytes(row[5]), row[6]),
           (1, "it's a widget", 3, decimal.Decimal("9.99"), stamp, b"\x00\x01\xff", None))
    expect("column names", [d.name for d in cur.description], ["id", "name", "qty", "price", "seen_at", "data", "note"])

    cur.execute("INSERT INTO py_items (id, name, qty) VALUES (%s, %s, %s)", (2, "rolled back", 1))
    conn.rollback()
    cur.execute("INSERT INTO py_items (id, name, qty) VALUES (%s, %s, %s)", (3, "committed", 2))
    conn.commit()
    cur.execute("SELECT id FROM py_items ORDER BY id")
    expect("commit kept, rollback dropped", [r[0] for r in cur.fetchall()], [1, 3])

    try:
        cur.execute("INSERT INTO py_items (id, name) VALUES (%s, %s)", (1, "duplicate"))
        expect("unique violation raised", False, True)
    except psycopg2.errors.UniqueViolation as e:
        expect("unique violation SQLSTATE", e.pgcode, "23505")
    conn.rollback()
    try:
        cur.execute("SELECT * FROM no_such_table")
        expect("undefined table raised", False, True)
    except psycopg2.errors.UndefinedTable as e:
        expect("undefined table SQLSTATE", e.pgcode, "42P01")
    conn.rollback()

    cur.execute("SELECT count(*), sum(qty) FROM py_items WHERE note IS NULL")
    expect("usable after errors", cur.fetchone(), (2, 5))
    conn.rollback()

    # A named (server-side) cursor is DECLARE ... CURSOR WITHOUT HOLD FOR, FETCH FORWARD n and CLOSE.
    named = conn.cursor(name="py_named")
    named.itersize = 1
    named.execute("SELECT id, name FROM py_items ORDER BY id")
    expect("named cursor fetchone", named.fetchone(), (1, "it's a widget"))
    expect("named cursor description", [d.name for d in named.description], ["id", "name"])
    expect("named cursor fetchall", [r[0] for r in named.fetchall()], [3])
    named.close()
    conn.commit()
    named = conn.cursor(name="py_iter")
    named.itersize = 1
    named.execute("SELECT id FROM py_items ORDER BY id")
    expect("named cursor iterates", [r[0] for r in named], [1, 3])
    named.close()
    conn.commit()
    held = conn.cursor(name="py_held", withhold=True)
    held.execute("SELECT id FROM py_items ORDER BY id DESC")
    conn.commit()
    expect("WITH HOLD cursor after commit", [r[0] for r in held.fetchall()], [3, 1])
    held.close()
    conn.autocommit = True
    cur.execute("DROP TABLE py_items")
    conn.close()
    print("psycopg2 smoke: all passed")


if __name__ == "__main__":
    main(int(sys.argv[1]))
