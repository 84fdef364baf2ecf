#!/usr/bin/env bash
# Makes sure the system packages tusk's build and tests need are present.
#   scripts/deps.sh build   # libclang (pg_query's bindgen), protoc (pg_query's protobuf)
#   scripts/deps.sh test    # the above, plus PostgreSQL 15 client tools and server (psql,
#                           # pgbench, pg_regress's reference) and python3 psycopg2 and SQLAlchemy
# As root, missing packages are installed with apt-get/pip; otherwise the script stops and
# names them.
set -euo pipefail
want=${1:-build}

missing_deb=()
have_header() { [ -n "$(find /usr/lib -path '*libclang*.so*' -print -quit 2>/dev/null)" ]; }
have_header || missing_deb+=(libclang-dev)
command -v protoc >/dev/null 2>&1 || missing_deb+=(protobuf-compiler)
command -v cc >/dev/null 2>&1 || missing_deb+=(gcc)
if [ "$want" = test ]; then
  command -v psql >/dev/null 2>&1 || missing_deb+=(postgresql-client-15)
  [ -x /usr/lib/postgresql/15/bin/pgbench ] || missing_deb+=(postgresql-15)
  command -v python3 >/dev/null 2>&1 || missing_deb+=(python3 python3-pip)
fi

if [ ${#missing_deb[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: ${missing_deb[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing_deb[@]}" >/dev/null
  else
    echo "tusk needs these Debian packages: ${missing_deb[*]}" >&2
    echo "install them with: sudo apt-get install ${missing_deb[*]}" >&2
    exit 1
  fi
fi

if [ "$want" = test ]; then
  # Python drivers the client tests use: module name, then pip package.
  for pair in psycopg2:psycopg2-binary sqlalchemy:SQLAlchemy; do
    module=${pair%%:*}
    package=${pair#*:}
    python3 -c "import $module" >/dev/null 2>&1 && continue
    if [ "$(id -u)" = 0 ]; then
      echo "installing: $package (pip)" >&2
      python3 -m pip install -q "$package" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "$package"
    else
      echo "tusk's tests need the python package $package: python3 -m pip install --user $package" >&2
      exit 1
    fi
  done
fi
