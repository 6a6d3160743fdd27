"""A livelock ends the run with `harness/unsettled` instead of hanging it (loop.TURNS_PER_MS).

python3 -m unittest discover -s tests (from adapters/python/runner).
"""

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from ws_lifecycle_runner import loop as loop_mod, run_scenario  # noqa: E402
from ws_lifecycle_runner.worker import DesignSource, answer  # noqa: E402
from test_runner import CHAT, DEMO, entries, one  # noqa: E402
from test_worker import ZERO  # noqa: E402

SPIN = os.path.join(HERE, "designs", "spin.py")
WHY = "(a loop none of whose awaits suspends, so time cannot advance)"


class LivelockTest(unittest.TestCase):
    def test_a_requeue_loop_is_stopped_at_its_instant(self):
        trace = entries(run_scenario("sim_apps:app", one("/requeue")))
        last = trace[-1]
        accepted = next(e for e in trace if e["action"] == "accept")
        aborted = f"livelock: task requeue of c1 kept the event loop busy for {loop_mod.TURNS_PER_MS} turns at {accepted['t']:g} ms {WHY}"
        self.assertEqual((last["conn"], last["actor"], last["action"], last["t"]), ("c1", "harness", "unsettled", accepted["t"]))
        self.assertEqual(last["detail"], {"reason": f"run aborted (caused by c1): {aborted}", "aborted": aborted, "culprit": "c1", "phases": {"c1": "ready"}})

    def test_a_loop_creeping_by_microseconds_is_stopped_by_the_run_bound(self):
        # The bound per run, lowered for speed (1,000 turns per virtual ms of the creep).
        saved, loop_mod.TURNS_PER_RUN = loop_mod.TURNS_PER_RUN, 20_000
        try:
            last = entries(run_scenario("sim_apps:app", one("/creep")))[-1]
        finally:
            loop_mod.TURNS_PER_RUN = saved
        self.assertEqual((last["conn"], last["action"]), ("c1", "unsettled"))
        self.assertRegex(last["detail"]["aborted"], r"^livelock: task creep of c1 kept the event loop busy for 20000 turns in one run, up to [0-9.]+ ms \(time advances too slowly")

    def test_the_worker_answers_with_the_abort_and_serves_the_next_request(self):
        commands = [{"atMs": 0, "kind": "open", "conn": "c1", "userId": "u1"}, {"atMs": 5, "kind": "emit", "conn": "c1", "eventType": "agent_started"}]
        request = json.dumps({"id": 1, "scenario": {"knobs": ZERO, "commands": commands}, "settleMs": 100})
        source = DesignSource(SPIN)
        for _ in range(2):
            response = json.loads(answer(source, request))
            last = response["trace"][-1]
            self.assertEqual((last["t"], last["conn"], last["action"]), (5, "c1", "unsettled"))
            self.assertTrue(last["detail"]["aborted"].startswith("livelock: task process_events of c1 kept the event loop busy for 100000 turns at 5 ms"), last["detail"])

    def test_a_real_app_is_far_below_the_bound(self):
        # The busiest virtual ms of the chat demo, measured: the bound is 1,000 times above it.
        busiest = []
        original = loop_mod.VirtualLoop._run_once

        def counted(self):
            original(self)
            busiest.append(self._turns)

        with open(DEMO, encoding="utf-8") as f:
            scenario = json.load(f)
        loop_mod.VirtualLoop._run_once = counted
        try:
            trace = entries(run_scenario(CHAT, scenario))
        finally:
            loop_mod.VirtualLoop._run_once = original
        self.assertEqual(trace[-1]["action"], "settled")
        self.assertLess(max(busiest) * 1000, loop_mod.TURNS_PER_MS)


if __name__ == "__main__":
    unittest.main()
