-- Binary string functions: substring, trims, position, byte and bit access,
-- bit_count, SHA-2 digests and LIKE over bytes.
select substring('\x0102ff'::bytea, 2), substring('\x0102ff'::bytea from 2 for 1), substr('\x0102ff'::bytea, 0, 2), substring('\x0102ff'::bytea from -3 for 2);
select substring('\x0102'::bytea from 1 for -1);
select btrim('\x0102ff01'::bytea, '\x01'::bytea), ltrim('\x0102ff01'::bytea, '\x01'::bytea), rtrim('\x0102ff01'::bytea, '\x01'::bytea), trim('\x01'::bytea from '\x0101ff01'::bytea);
select position('\x02'::bytea in '\x0102ff'::bytea), position(''::bytea in '\x01'::bytea), position('\x03'::bytea in '\x0102'::bytea);
select get_byte('\x0102ff'::bytea, 2), set_byte('\x0102ff'::bytea, 0, 255), get_bit('\x0102ff'::bytea, 9), set_bit('\x0102ff'::bytea, 9, 0), set_bit('\x00'::bytea, 7, 1);
select get_byte('\x01'::bytea, 5);
select get_byte(''::bytea, 0);
select set_bit('\x01'::bytea, 9, 1);
select set_bit('\x01'::bytea, 1, 2);
select bit_count('\x0102ff'::bytea), sha224('abc'::bytea), sha256('abc'::bytea);
select sha384(''::bytea), sha512('\x00'::bytea);
select 'abc'::bytea like 'a%'::bytea, 'abc'::bytea like '_b_'::bytea, 'abc'::bytea not like 'a_'::bytea, 'a%c'::bytea like 'a\\%c'::bytea;
select 'abc'::bytea like 'a!%c'::bytea escape '!', 'a%c'::bytea like 'a!%c'::bytea escape '!';
select like_escape('\x2541'::bytea, '\x41'::bytea);
select '\x5c'::bytea like '\x5c'::bytea;
