-- inet, cidr, macaddr and macaddr8 columns: keys, indexes, COPY, arrays, psql display.
CREATE TABLE logins (id int PRIMARY KEY, ip inet NOT NULL, net cidr, mac macaddr, mac8 macaddr8);
INSERT INTO logins VALUES
    (1, '192.168.1.226/24', '192.168.1', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05'),
    (2, '10.1.2.3', '10/8', '08-00-2b-01-02-04', '08002b010203'),
    (3, '::ffff:1.2.3.4', '10:23::8000/113', '0800.2b01.0205', '0800.2b01.0203.0406'),
    (4, 'fe80::0:0:1/64', NULL, NULL, NULL);
INSERT INTO logins VALUES (5, '192.168.1.2/30', '192.168.1.2/30', NULL, NULL);
INSERT INTO logins VALUES (5, '1.2.3.4.5', NULL, NULL, NULL);
SELECT * FROM logins ORDER BY ip;
\d logins
CREATE INDEX logins_ip ON logins (ip);
CREATE UNIQUE INDEX logins_mac ON logins (mac);
INSERT INTO logins VALUES (6, '10.0.0.6', NULL, '08:00:2b:01:02:03', NULL);
SET enable_seqscan = off;
SELECT id FROM logins WHERE ip = '10.1.2.3';
SELECT id, ip FROM logins WHERE ip > '10.0.0.0' ORDER BY ip DESC;
SELECT id FROM logins WHERE mac = '08:00:2b:01:02:04';
RESET enable_seqscan;
SELECT id, ip << '192.168.0.0/16' AS inside, host(ip), masklen(ip), network(ip) FROM logins ORDER BY id;
SELECT ip, count(*) FROM logins GROUP BY ip ORDER BY ip;
SELECT DISTINCT family(ip) FROM logins ORDER BY 1;
SELECT a.id, b.id FROM logins a JOIN logins b ON a.ip = b.ip ORDER BY 1;
UPDATE logins SET ip = ip + 1 WHERE family(ip) = 4 RETURNING id, ip;
COPY (SELECT * FROM logins ORDER BY id) TO STDOUT;
COPY logins (id, ip, net, mac, mac8) FROM STDIN;
7	172.16.0.1/12	172.16.0.0/12	aa:bb:cc:dd:ee:ff	aa:bb:cc:dd:ee:ff:00:11
8	2001:db8::1	2001:db8::/32	\N	\N
\.
SELECT * FROM logins WHERE id >= 7 ORDER BY id;
CREATE TABLE nets (id int, addrs inet[], macs macaddr[]);
INSERT INTO nets VALUES (1, ARRAY['10.0.0.1', '::1/64']::inet[], '{08:00:2b:01:02:03}');
INSERT INTO nets VALUES (2, '{192.168.0.0/16,10.1.2.3}', NULL);
SELECT id, addrs, addrs[2], macs FROM nets ORDER BY id;
SELECT unnest(addrs) AS a FROM nets ORDER BY a;
SELECT max(ip), min(ip), max(net), min(net) FROM logins;
DROP TABLE nets;
DROP TABLE logins;
