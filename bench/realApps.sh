#!/usr/bin/env bash
# Real Starlette/FastAPI WebSocket apps under the Python runner, unchanged, at pinned commits.
#
#   bash bench/realApps.sh            # fetch (once) into the cache, run every scenario, check-trace
#   bash bench/realApps.sh --fetch    # only fetch; prints the WS_LIFECYCLE_APPS to export
#
# The apps' code is cloned into $WS_LIFECYCLE_APPS (default ~/.cache/ws-lifecycle/apps) as
# <owner>+<name> checkouts, never into this repository. WS_LIFECYCLE_GIT_BASE is the clone
# source, with {owner} and {name} replaced (default https://github.com/{owner}/{name}.git;
# a local mirror works too, e.g. /srv/mirror/{owner}+{name}). Each scenario of
# fixtures/python/apps/scenarios/<app>__*.json runs on the design fixtures/python/apps/<app>.py
# for seeds 1..SEEDS (default 5); each trace is judged by check-trace.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3
APPS=${WS_LIFECYCLE_APPS:-$HOME/.cache/ws-lifecycle/apps}
GITHUB='https://github.com/{owner}/{name}.git'
BASE=${WS_LIFECYCLE_GIT_BASE:-$GITHUB}
SEEDS=${SEEDS:-5}
OUT=${OUT:-$(mktemp -d)}

# owner name commit
PINS=(
  "concurrency-in-python-with-asyncio concurrency-in-python-with-asyncio 6f9014428d6659eb144fc55ce9c2b94dbcc861c9"
  "JustinLee02 Computer_Network_Team9 42a308a59fd818c6cccdf79abaac5da87bfcfd39"
  "itsparasbisht websocket-fastapi 01b99cd34d4fde0c4b5d45a79391ae595f36ba8c"
)

mkdir -p "$APPS"
for pin in "${PINS[@]}"; do
  read -r owner name commit <<<"$pin"
  dir="$APPS/$owner+$name"
  if [ "$(git -C "$dir" rev-parse HEAD 2>/dev/null)" = "$commit" ]; then continue; fi
  url=${BASE//"{owner}"/$owner}
  url=${url//"{name}"/$name}
  rm -rf "$dir"
  if ! git clone -q "$url" "$dir" 2>/dev/null; then
    echo "realApps: cannot clone $url (no access to GitHub from this machine? set WS_LIFECYCLE_GIT_BASE to a mirror)" >&2
    exit 2
  fi
  if ! git -C "$dir" checkout -q "$commit" 2>/dev/null; then
    echo "realApps: $owner/$name has no commit $commit" >&2
    exit 2
  fi
done
echo "WS_LIFECYCLE_APPS=$APPS"
[ "${1:-}" = "--fetch" ] && exit 0

export WS_LIFECYCLE_APPS=$APPS
status=0
for scenario in fixtures/python/apps/scenarios/*.json; do
  app=$(basename "$scenario" .json)
  app=${app%%__*}
  for seed in $(seq 1 "$SEEDS"); do
    run="$OUT/$(basename "$scenario" .json)-s$seed"
    $PY -c "import json,sys; s=json.load(open(sys.argv[1])); s['seed']=int(sys.argv[2]); json.dump(s, open(sys.argv[3], 'w'))" \
      "$scenario" "$seed" "$run.json"
    if ! PYTHONPATH=adapters/python/runner $PY -m ws_lifecycle_runner \
      "fixtures/python/agents.py:build('fixtures/python/apps/$app.py', '$run.json')" "$run.json" "$run.jsonl" >/dev/null; then
      status=1
      continue
    fi
    verdict=$(npx tsx src/cli/run.ts check-trace "$run.jsonl" 2>&1 | grep -m1 'real trace of' | sed 's/.*entries; //')
    echo "$(basename "$scenario" .json) seed $seed: $verdict"
  done
done
echo "traces in $OUT"
exit $status
