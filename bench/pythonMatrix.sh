#!/usr/bin/env bash
# The seeds' Python designs (fixtures/python/seed_00N.py), and the real apps' designs when
# WS_LIFECYCLE_APPS is set, explored by `check` in one matrix (npm run check:python).
#
#   npm run check:python [-- CHECK FLAGS]                            # the three seeds
#   WS_LIFECYCLE_APPS=~/.cache/ws-lifecycle/apps npm run check:python   # + the apps (bench/realApps.sh)
#
# lan, cloud-run and hostile, RUNS runs each (default 100). The Python designs carry no
# expectation file: every violation is reported as unexpected and check exits 1; the
# violations each seed is expected to show are listed in docs/findings.md, "Python
# originals and real apps".
set -u
cd "$(dirname "$0")/.."
seeds=()
for seed in fixtures/python/seed_*.py; do seeds+=(--design "$seed"); done
if [ -n "${WS_LIFECYCLE_APPS:-}" ]; then
  exec bash bench/realApps.sh "${seeds[@]}" "$@"
fi
exec npx tsx src/cli/run.ts check --profile lan,cloud-run,hostile --runs "${RUNS:-100}" "${seeds[@]}" "$@"
