-- tsvector and tsquery input and output
SELECT 'a:3A b:2a'::tsvector || 'ba:1234 a:1B';
SELECT $$'\\as' ab\c ab\\c AB\\\c ab\\\\c$$::tsvector;
SELECT 'a:3,1,3A,2b c:20000 a:1*'::tsvector;
SELECT 'a:0'::tsvector;
SELECT 'a:1A,2Bc'::tsvector;
SELECT '!(!1|!2) & (a <-> (b <3> c)) | d:*AB'::tsquery;
SELECT '(a<->b)<->c'::tsquery, 'a <-> (b <-> c)'::tsquery;
SELECT 'a &'::tsquery;
SELECT 'a b'::tsquery;
SELECT 'a <16385> b'::tsquery;
-- comparisons and operators
SELECT 'a' < 'b & c'::tsquery AS t, 'a | f' < 'b & c'::tsquery AS t2;
SELECT 'a b'::tsvector < 'a:1 b'::tsvector, 'a'::tsvector = 'a'::tsvector;
SELECT 'foo & bar'::tsquery || !!'asd & fg'::tsquery;
SELECT 'a & g' <-> 'b <-> d'::tsquery, tsquery_phrase('a <3> g', 'b & d', 10);
SELECT numnode('new & york | qwery'::tsquery), querytree('a & !b | c'), querytree('!a');
SELECT 'a & b'::tsquery @> 'a', 'a'::tsquery <@ 'a & b';
-- matching
SELECT 'a b:89  ca:23A,64b d:34c'::tsvector @@ 'd:AC & ca:CB' AS t;
SELECT 'wa:1D wb:2A'::tsvector @@ 'w:*D <-> w:*A'::tsquery AS t;
SELECT strip('wa:1A'::tsvector) @@ '!w:*D'::tsquery AS f;
SELECT to_tsvector('simple', '1 2 11 3') @@ '1:* <-> 3' AS t;
SELECT to_tsvector('simple', 'x y q') @@ '(!x | !y) <-> y <-> q' AS t;
SELECT strip(to_tsvector('simple', 'x y q y')) @@ '!(x <-> y)' AS t;
-- ranking
SET extra_float_digits = 0;
SELECT ts_rank(' a:1 s:2C d g'::tsvector, 'a | s'), ts_rank(' a:1 s:2B d g'::tsvector, 'a & s');
SELECT ts_rank_cd(' a:1 sa:2A sb:2D g'::tsvector, 'a <-> s:* <-> sa:A');
SELECT ts_rank_cd(' a:1 s:2C d g'::tsvector, 'a | s', 1);
RESET extra_float_digits;
-- editing
SELECT strip('w:12B w:13* w:12,5,6 a:1,3* a:3 w asd:1dc asd'::tsvector);
SELECT setweight('a:1,3A asd:1C w:5,6,12B,13A zxc:81,222A,567'::tsvector, 'c', '{a,zxc}');
SELECT ts_delete('base hidden rebel spaceship strike'::tsvector, ARRAY['spaceship','leya','rebel', '', NULL]);
SELECT ts_filter('base:7A empir:17 evil:15 hidden:6A'::tsvector, '{a}');
SELECT ts_filter('base hidden'::tsvector, '{a,b,NULL}');
SELECT * FROM unnest('base:7 hidden:6 spaceship:2,33A,34B strike'::tsvector);
SELECT tsvector_to_array('base:7 hidden:6 rebel:1'::tsvector), array_to_tsvector(ARRAY['foo','bar','baz','bar']);
SELECT array_to_tsvector(ARRAY['base', NULL]);
SELECT length('a:1 b c:2'::tsvector);
-- text through configurations
SELECT to_tsvector('english', 'The quick brown foxes jumped over the lazy dogs');
SELECT to_tsquery('english', 'qwe & sKies '), to_tsquery('simple', 'qwe & sKies ');
SELECT plainto_tsquery('english', 'the and z 1))& fghj');
SELECT phraseto_tsquery('english', 'PostgreSQL can be extended by the user in many ways');
SELECT to_tsquery('english', 'foo <-> a <-> the <-> bar');
SELECT to_tsquery('english', 'the');
SELECT ts_lexize('english_stem', 'skies'), ts_lexize('english_stem', 'the'), ts_lexize('simple', 'Foo');
SELECT 'english'::regconfig, 'pg_catalog.simple'::regconfig, 'english_stem'::regdictionary;
SELECT 'nonsense'::regconfig;
SELECT get_current_ts_config();
SELECT 'The Fat Rats' @@ 'rat' AS t, to_tsvector('fat cats ate rats') @@ to_tsquery('fat & rat') AS t2;
SELECT * FROM ts_token_type('default') WHERE tokid < 5;
SELECT * FROM ts_parse('default', 'foo-bar 4.5 x@y.com');
SELECT * FROM ts_debug('english', 'http://www.example.co.uk/press.aspx</span> a title');
SELECT websearch_to_tsquery('english', '"fat rats" or -cats fat:A!cat');
-- storage
CREATE TABLE docs (id int, v tsvector, q tsquery);
INSERT INTO docs VALUES (1, 'a:1 b:2', 'a & b'), (2, 'c', 'c | d'), (3, 'b:3A', '!a');
SELECT id, v, q, v @@ q AS m FROM docs ORDER BY v;
SELECT id FROM docs ORDER BY q DESC;
CREATE UNIQUE INDEX docs_q ON docs (q);
INSERT INTO docs VALUES (4, 'x', 'b & a');
INSERT INTO docs VALUES (5, 'y', 'a & b');
DROP TABLE docs;
