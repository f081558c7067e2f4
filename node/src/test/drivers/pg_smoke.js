// node-postgres (pg) against a TroupeDB node: parameters of each common type (extended
// protocol), commit and rollback, errors with their SQLSTATE, and the connection still usable
// after them. Run by DriversIT as `node pg_smoke.js PORT`; prints one line per check and exits
// non-zero on the first wrong answer.
const assert = require('node:assert/strict');
const { Client } = require('pg');

async function expectError(client, sql, params, code) {
  try {
    await client.query(sql, params);
  } catch (e) {
    assert.equal(e.code, code, `SQLSTATE of ${sql}`);
    console.log(`ok ${sql} fails with ${e.code}`);
    return;
  }
  throw new Error(`${sql} did not fail`);
}

async function main(port) {
  const client = new Client({ host: '127.0.0.1', port, user: 'root', database: 'defaultdb',
    connectionTimeoutMillis: 30000 });
  await client.connect();
  await client.query('CREATE TABLE js_items (id INT PRIMARY KEY, name TEXT, qty INT, price NUMERIC(10,2),'
    + ' seen_at TIMESTAMP, data BYTEA, note TEXT)');

  const stamp = '2024-05-06 07:08:09.123';
  await client.query('INSERT INTO js_items VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [1, "it's a widget", 3, '9.99', stamp, Buffer.from([0, 1, 255]), null]);
  const r = await client.query(
    'SELECT id, name, qty, price, data, note FROM js_items WHERE id = $1 AND name = $2', [1, "it's a widget"]);
  assert.equal(r.rows.length, 1);
  const row = r.rows[0];
  assert.deepEqual([row.id, row.name, row.qty, row.price, row.note], [1, "it's a widget", 3, '9.99', null]);
  assert.deepEqual([...row.data], [0, 1, 255]);
  console.log('ok parameters round-trip');
  const t = await client.query('SELECT seen_at FROM js_items WHERE id = $1', [1]);
  assert.ok(t.rows[0].seen_at instanceof Date, 'timestamp parsed as a Date');
  assert.equal(t.rows[0].seen_at.getFullYear(), 2024);
  assert.equal(t.rows[0].seen_at.getMilliseconds(), 123);
  console.log('ok timestamp');
  assert.deepEqual(r.fields.map((f) => f.name), ['id', 'name', 'qty', 'price', 'data', 'note']);
  console.log('ok column names');

  await client.query('BEGIN');
  await client.query('INSERT INTO js_items (id, name, qty) VALUES ($1, $2, $3)', [2, 'rolled back', 1]);
  await client.query('ROLLBACK');
  await client.query('BEGIN');
  await client.query('INSERT INTO js_items (id, name, qty) VALUES ($1, $2, $3)', [3, 'committed', 2]);
  await client.query('COMMIT');
  const ids = await client.query('SELECT id FROM js_items ORDER BY id');
  assert.deepEqual(ids.rows.map((x) => x.id), [1, 3]);
  console.log('ok commit kept, rollback dropped');

  await expectError(client, 'INSERT INTO js_items (id, name) VALUES ($1, $2)', [1, 'duplicate'], '23505');
  await expectError(client, 'SELECT * FROM no_such_table', [], '42P01');
  await client.query('BEGIN');
  await expectError(client, 'SELECT * FROM no_such_table WHERE x = $1', [1], '42P01');
  await expectError(client, 'SELECT 1', [], '25P02');
  await client.query('ROLLBACK');

  const c = await client.query('SELECT count(*) AS n, sum(qty) AS q FROM js_items WHERE note IS NULL');
  assert.deepEqual([c.rows[0].n, c.rows[0].q], ['2', '5']);
  console.log('ok usable after errors');
  await client.query('DROP TABLE js_items');
  await client.end();
  console.log('pg smoke: all passed');
}

main(Number(process.argv[2])).catch((e) => {
  console.error('FAIL', e);
  process.exit(1);
});
