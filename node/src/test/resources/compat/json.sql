-- json and jsonb (issue 14): columns, casts, operators and functions, diffed with PostgreSQL 15.
SET TimeZone = 'UTC';

-- 1. Columns: json keeps its text, jsonb is normalised (keys by length then bytes, last duplicate wins).
CREATE TABLE js (id int PRIMARY KEY, a json, b jsonb);
INSERT INTO js VALUES (1, '{"b":1,  "a":2}', '{"b":1,  "a":2, "b":3}');
INSERT INTO js VALUES (2, '[1, 2.50, "x"]', '[1, 2.50, "x", null, true, {"é": 1, "zz": [], "a": {}}]');
INSERT INTO js VALUES (3, NULL, '{"k": "v", "n": null, "arr": [10, 20, {"c": "x"}], "num": 1e2}');
INSERT INTO js VALUES (4, '"str"', '"str"');
SELECT id, a, b FROM js ORDER BY id;
SELECT id FROM js WHERE b = '{"a":2,"b":3}' ORDER BY id;
SELECT id FROM js WHERE b = '{"a":2}'::jsonb ORDER BY id;
UPDATE js SET b = '{"z": 1, "y": 2}' WHERE id = 4;
SELECT b FROM js WHERE id = 4;

-- 2. Casts.
SELECT '{"b":[1, 2.50], "a":null}'::jsonb;
SELECT CAST('[1,  2]' AS json), CAST('[1,  2]' AS jsonb);
SELECT ('{"x": 1}'::jsonb)::text, '  [ -0, 1.5E-3, 1.50e1 ]  '::jsonb;
SELECT a::jsonb FROM js WHERE id = 1;
SELECT b::json FROM js WHERE id = 1;
SELECT '"tab\there \"q\" \\ \/ \u00e9"'::jsonb;

-- 3. Operators.
SELECT b -> 'arr', b ->> 'k', b ->> 'n', b -> 'missing' FROM js WHERE id = 3;
SELECT b -> 'arr' -> -1 ->> 'c', b -> 'arr' -> 0, b -> 'arr' -> 9 FROM js WHERE id = 3;
SELECT b #> '{arr,1}', b #>> '{arr,2,c}', b #> '{nope}' FROM js WHERE id = 3;
SELECT id, b @> '{"a": 2}' AS c1, '{"k": "v"}' <@ b AS c2 FROM js ORDER BY id;
SELECT id, b ? 'a' AS q, b ?| '{a,k}' AS qany, b ?& '{a,b}' AS qall FROM js ORDER BY id;
SELECT '[1, 2]'::jsonb @> '1', '{"a": {"b": [1, 2, 3]}}'::jsonb @> '{"a": {"b": [3]}}';
SELECT '"a"'::jsonb ? 'a', '["a", 1]'::jsonb ? 'a';
SELECT '{"a": 1}'::jsonb || '{"b": 2, "a": 3}'::jsonb, '[1]'::jsonb || '2'::jsonb, '{"a": 1}'::jsonb || '[2]'::jsonb;
SELECT id FROM js WHERE b ->> 'k' = 'v' ORDER BY id;
SELECT id FROM js WHERE b -> 'a' IS NOT NULL ORDER BY id;
-- on json the parts come back as written (the last of duplicate keys)
SELECT '{"a": [1,  2], "a": {"q" : 1e2}}'::json -> 'a', '[1, {"b" :  2}, "z"]'::json -> 1, '[1, {"b" :  2}, "z"]'::json ->> 2;
SELECT '{"a": {"b":  [ 1 ,2 ]}}'::json #> '{a,b}', '{"a": {"b":  [ 1 ,2 ]}}'::json #>> '{a,b,1}', '[1,2]'::json -> -1;
SELECT id, a -> 'a', a -> 1 FROM js ORDER BY id;

-- 4. Functions.
SELECT jsonb_typeof('1.5'), jsonb_typeof('{}'), jsonb_typeof('[]'), jsonb_typeof('"s"'), jsonb_typeof('null'), jsonb_typeof('true');
SELECT id, jsonb_typeof(b) FROM js ORDER BY id;
SELECT jsonb_array_length('[1,2,3]'), jsonb_array_length(b) FROM js WHERE id = 2;
SELECT jsonb_build_object('a', 1, 'b', 'x', 'c', NULL, 'd', '{"x":1}'::jsonb, 'e', 2.0);
SELECT jsonb_build_array(1, 'a', NULL, true), jsonb_build_array();
SELECT json_build_object('a', '{"x": 1}'::json, 'b', 1);
SELECT to_jsonb(timestamp '2024-01-02 03:04:05.5'), to_jsonb(date '2024-01-02'), to_jsonb(1.50), to_jsonb('x'::text), to_jsonb(true);
SELECT jsonb_extract_path_text('{"a":{"b":"c"}}', 'a', 'b'), jsonb_extract_path_text(b, 'arr', '2', 'c') FROM js WHERE id = 3;
SELECT jsonb_pretty('{"a":{},"b":[],"c":[1,{"d":null}]}');

-- 5. Errors.
SELECT '{"a":tru}'::jsonb;
SELECT '{"a":1'::json;
SELECT '{"a" 1}'::jsonb;
SELECT '[1,,2]'::jsonb;
SELECT '{"a":1}x'::jsonb;
INSERT INTO js VALUES (9, '{', NULL);
SELECT jsonb_array_length('{}');
SELECT jsonb_array_length('1');
DROP TABLE js;
