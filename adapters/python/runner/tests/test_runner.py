"""python3 -m unittest discover -s tests (from adapters/python/runner)."""

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from ws_lifecycle_runner import ScenarioError, run_scenario  # noqa: E402

CHAT = os.path.join(HERE, "..", "..", "examples", "fastapi_chat.py") + ":build('chat')"
DEMO = os.path.join(HERE, "..", "scenarios", "fastapi_chat_vanish.json")


def entries(text):
    return [json.loads(line) for line in text.splitlines()[1:]]


def one(path, seed=1):
    return {"path": path, "latencyMs": [1, 3], "seed": seed, "commands": [{"atMs": 0, "kind": "open", "conn": "c1"}]}


class RunnerTest(unittest.TestCase):
    def test_demo_is_deterministic_and_shows_the_failed_broadcast(self):
        with open(DEMO, encoding="utf-8") as f:
            scenario = json.load(f)
        first, second = run_scenario(CHAT, scenario), run_scenario(CHAT, scenario)
        self.assertEqual(first, second)
        trace = entries(first)
        raised = [e for e in trace if e["action"] == "handlerRaised" and e["detail"]["exception"].endswith("ConnectionClosedError")]
        self.assertTrue(raised)
        by = trace[raised[0]["detail"]["raisedBy"]]
        self.assertEqual((by["actor"], by["action"], by["conn"]), ("net", "sendFailed", "c3"))
        self.assertEqual(trace[-1]["action"], "settled")

    def test_another_seed_gives_another_interleaving(self):
        with open(DEMO, encoding="utf-8") as f:
            scenario = json.load(f)
        texts = {run_scenario(CHAT, dict(scenario, seed=s)) for s in (1, 2, 3)}
        self.assertEqual(len(texts), 3)

    def test_virtual_clock_and_its_warning(self):
        trace = entries(run_scenario("sim_apps:app", one("/clock")))
        sent = next(e for e in trace if e["action"] == "send")
        self.assertEqual(sent["frame"]["slept"], 0.25)  # virtual: exactly the sleep
        self.assertEqual(sent["frame"]["wall"], 1_700_000_000.0 + sent["t"] / 1000)
        warns = [e for e in trace if e["actor"] == "design" and e["detail"].get("level") == "warn"]
        self.assertEqual(len(warns), 2)  # once per function: monotonic, then time
        self.assertIn("time.monotonic at", warns[0]["detail"]["message"])
        self.assertIn("sim_apps.py", warns[0]["detail"]["message"])

    def test_run_in_executor_raises_in_the_handler(self):
        trace = entries(run_scenario("sim_apps:app", one("/executor")))
        raised = next(e for e in trace if e["action"] == "handlerRaised")
        self.assertEqual(raised["detail"]["exception"], "ws_lifecycle_runner.loop.SimulationError")
        self.assertIn("run_in_executor", raised["error"])

    def test_bad_scenario(self):
        with self.assertRaisesRegex(ScenarioError, r"commands\[0\]: c9 is used before its open"):
            run_scenario(CHAT, {"path": "/ws/{n}", "commands": [{"atMs": 0, "kind": "message", "conn": "c9", "text": "x"}]})


if __name__ == "__main__":
    unittest.main()
