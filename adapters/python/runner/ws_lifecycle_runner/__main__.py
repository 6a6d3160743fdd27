"""python3 -m ws_lifecycle_runner APP SCENARIO.json TRACE.jsonl | serve DESIGN.py"""

import os
import sys

# The process that started this one, read first: if it is gone by the time `serve` asks the
# kernel to kill this process with it, the parent has changed (die_with_parent).
PARENT = os.getppid()

from .loop import SimulationError
from .sim import ScenarioError, run_scenario_file

USAGE = (
    "usage: python3 -m ws_lifecycle_runner MODULE:ATTR|FILE.py:ATTR|FILE.py:factory('arg') SCENARIO.json TRACE.jsonl\n"
    "       python3 -m ws_lifecycle_runner serve DESIGN.py   (JSON lines on stdin/stdout, see README.md)"
)


def main(argv: list) -> int:
    if argv[:1] == ["serve"]:
        if len(argv) != 2:
            print(USAGE, file=sys.stderr)
            return 2
        from .worker import die_with_parent, serve

        die_with_parent(PARENT)

        # stdout carries the protocol only: whatever the design prints goes to stderr.
        protocol, sys.stdout = sys.stdout, sys.stderr
        try:
            return serve(argv[1], sys.stdin, protocol)
        finally:
            sys.stdout = protocol
    if len(argv) != 3:
        print(USAGE, file=sys.stderr)
        return 2
    app, scenario_path, out = argv
    try:
        text = run_scenario_file(app, scenario_path)
    except (ScenarioError, SimulationError) as exc:
        print(f"ws_lifecycle_runner: {exc}", file=sys.stderr)
        return 2
    try:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        print(f"ws_lifecycle_runner: {out}: {exc.strerror}", file=sys.stderr)
        return 2
    entries = text.count("\n") - 1
    print(f"{out}: {entries} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
