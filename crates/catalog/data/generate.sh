#!/usr/bin/env bash
# Regenerates the built-in catalog data tables (*.tsv) from a freshly initialised PostgreSQL 15
# cluster: the facts (OIDs, names, signatures) that clients and drivers key on.
#
# Usage: PG_BIN=<PostgreSQL 15 bindir> crates/catalog/data/generate.sh
# Runs initdb and a temporary postmaster on a Unix socket in a temp dir; as root it runs them
# as the user named by PG_USER (default "postgres", which must exist).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${PG_BIN:-$(pg_config --bindir)}
tmp=$(mktemp -d)
trap 'run "$bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
run() {
  if [ "$(id -u)" = 0 ]; then chown -R "${PG_USER:-postgres}" "$tmp"; runuser -u "${PG_USER:-postgres}" -- "$@"; else "$@"; fi
}
run "$bin/initdb" -D "$tmp/data" -U postgres --no-locale -E UTF8 >/dev/null
run "$bin/pg_ctl" -D "$tmp/data" -o "-p 5999 -k $tmp -c listen_addresses=" -w start >/dev/null
tables="pg_type pg_proc pg_operator pg_cast pg_aggregate pg_range pg_namespace pg_am pg_opclass
        pg_opfamily pg_amop pg_amproc pg_collation pg_language pg_authid pg_database pg_tablespace
        pg_extension pg_ts_config pg_ts_dict pg_ts_parser pg_ts_template"
for t in $tables; do
  order=oid
  case $t in pg_aggregate) order=aggfnoid ;; pg_range) order=rngtypid ;; esac
  "$bin/psql" -X -q -h "$tmp" -p 5999 -U postgres -d template1 \
    -c "COPY (SELECT * FROM pg_catalog.$t ORDER BY $order) TO STDOUT WITH (FORMAT text, HEADER)" > "$here/$t.tsv"
done
# Which dictionaries each built-in text search configuration uses per token type.
"$bin/psql" -X -q -h "$tmp" -p 5999 -U postgres -d template1 \
  -c "COPY (SELECT * FROM pg_catalog.pg_ts_config_map ORDER BY mapcfg, maptokentype, mapseqno)
            TO STDOUT WITH (FORMAT text, HEADER)" > "$here/pg_ts_config_map.tsv"
# Comments on the built-in types, functions, operators, access methods, languages, schemas
# and collations (the other built-in objects have no rows here), and on the databases.
"$bin/psql" -X -q -h "$tmp" -p 5999 -U postgres -d template1 \
  -c "COPY (SELECT d.* FROM pg_catalog.pg_description d
            WHERE d.objoid < 16384 AND (d.classoid IN (1247, 1255, 2601, 2612, 2615, 2617, 3079)
               OR (d.classoid = 3456 AND d.objoid IN (SELECT oid FROM pg_catalog.pg_collation)))
            ORDER BY d.objoid, d.classoid, d.objsubid) TO STDOUT WITH (FORMAT text, HEADER)" \
  > "$here/pg_description.tsv"
"$bin/psql" -X -q -h "$tmp" -p 5999 -U postgres -d template1 \
  -c "COPY (SELECT * FROM pg_catalog.pg_shdescription WHERE objoid < 16384
            ORDER BY objoid, classoid) TO STDOUT WITH (FORMAT text, HEADER)" \
  > "$here/pg_shdescription.tsv"
# Which built-in objects belong to an extension (plpgsql's language and handlers).
"$bin/psql" -X -q -h "$tmp" -p 5999 -U postgres -d template1 \
  -c "COPY (SELECT * FROM pg_catalog.pg_depend WHERE refclassid = 3079
            ORDER BY classid, objid) TO STDOUT WITH (FORMAT text, HEADER)" \
  > "$here/pg_depend.tsv"
# The system catalogs themselves: their pg_class and pg_attribute rows (initdb creates them).
"$bin/psql" -X -q -h "$tmp" -p 5999 -U postgres -d template1 \
  -c "COPY (SELECT oid, relname, reltype, relisshared, relkind FROM pg_catalog.pg_class
            WHERE relnamespace = 11 AND relkind = 'r' ORDER BY oid) TO STDOUT WITH (FORMAT text, HEADER)" \
  > "$here/catalog_relations.tsv"
"$bin/psql" -X -q -h "$tmp" -p 5999 -U postgres -d template1 \
  -c "COPY (SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 11 AND c.relkind = 'r' AND a.attnum > 0
            ORDER BY a.attrelid, a.attnum) TO STDOUT WITH (FORMAT text, HEADER)" \
  > "$here/catalog_attributes.tsv"
echo "wrote $(echo $tables | wc -w) tables to $here"
