#!/usr/bin/env bash
# Runs every check tusk has: formatting, clippy, unit and integration tests (real server
# binary with tokio-postgres, psql, pgbench, psycopg2), and PostgreSQL 15's regression
# suite against an optimised tusk binary with its ratchet (the suite's per-test timeouts
# are meant for release speed). With CI=true, a missing client tool is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
export PATH="/usr/lib/postgresql/15/bin:$PATH"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
cargo build --release -p tusk-server
cargo xtask regress --tusk-bin "${CARGO_TARGET_DIR:-target}/release/tusk" --check-ratchet
