#!/usr/bin/env bash
# Builds tusk and starts it on its default data directory (./tusk-data, or $PGDATA),
# port 5432: then `psql -h localhost -p 5432 -U postgres` connects. Extra arguments go to
# `tusk server` (e.g. -p 5433, -c work_mem=8MB).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cargo build --release -p tusk-server
exec target/release/tusk server "$@"
