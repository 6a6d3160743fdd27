#!/usr/bin/env bash
# Real Starlette/FastAPI WebSocket apps as Python designs, unchanged, at pinned commits.
#
#   bash bench/realApps.sh [CHECK FLAGS]   # fetch (once) into the cache, then `check` every app design
#   bash bench/realApps.sh --fetch         # only fetch; prints the WS_LIFECYCLE_APPS to export
#
# The apps' code is cloned into $WS_LIFECYCLE_APPS (default ~/.cache/ws-lifecycle/apps) as
# <owner>+<name> checkouts, never into this repository. WS_LIFECYCLE_GIT_BASE is the clone
# source, with {owner} and {name} replaced (default https://github.com/{owner}/{name}.git;
# a local mirror works too, e.g. /srv/mirror/{owner}+{name}). Each design
# fixtures/python/apps/<app>.py is explored by `check` (serve mode: its hooks driven by the
# runner) under lan, cloud-run and hostile, RUNS runs each (default 100); further flags go to
# check. `npm run check:python` runs them in one matrix with the seeds' Python designs.
set -u
cd "$(dirname "$0")/.."
APPS=${WS_LIFECYCLE_APPS:-$HOME/.cache/ws-lifecycle/apps}
GITHUB='https://github.com/{owner}/{name}.git'
BASE=${WS_LIFECYCLE_GIT_BASE:-$GITHUB}

# owner name commit
PINS=(
  "concurrency-in-python-with-asyncio concurrency-in-python-with-asyncio 6f9014428d6659eb144fc55ce9c2b94dbcc861c9"
  "JustinLee02 Computer_Network_Team9 42a308a59fd818c6cccdf79abaac5da87bfcfd39"
  "itsparasbisht websocket-fastapi 01b99cd34d4fde0c4b5d45a79391ae595f36ba8c"
  "Sthamar WebSocketEchoExample 4aca336fe0cbbd31a3188e1c8a54601b5da091c8"
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
designs=()
for app in fixtures/python/apps/[!_]*.py; do designs+=(--design "$app"); done
exec npx tsx src/cli/run.ts check --profile lan,cloud-run,hostile --runs "${RUNS:-100}" "$@" "${designs[@]}"
