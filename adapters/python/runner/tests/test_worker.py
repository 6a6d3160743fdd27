"""The worker (python3 -m ws_lifecycle_runner serve DESIGN.py): protocol, loading, decisions.

python3 -m unittest discover -s tests (from adapters/python/runner).
"""

import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.dirname(HERE)
sys.path.insert(0, RUNNER)

from ws_lifecycle_runner.worker import DesignError, DesignSource, answer  # noqa: E402

ECHO = os.path.join(HERE, "designs", "echo.py")
CHAT = os.path.join(RUNNER, "..", "..", "..", "examples", "python", "chat_design.py")
ZERO = {
    "latencyMsMin": 0, "latencyMsMax": 0, "handshakeDelayMsMax": 0, "authDelayMsMax": 0, "prepareDelayMsMax": 0,
    "peerClosePerMillion": 0, "abruptDisconnectPerMillion": 0, "sendFailurePerMillion": 0, "authFailurePerMillion": 0,
    "clockSkewMs": 0, "pongDelayMsMax": 0, "readStallPerMillion": 0, "readStallMsMax": 0, "writeBufferFrames": 0,
}


def scenario(commands, choices=(), tail=None, **knobs):
    return {"knobs": dict(ZERO, **knobs), "environment": "production", "commands": commands, "choices": list(choices), "tailSeed": tail}


def chat_scenario():
    # Three connections, 20 commands, lan-like latencies, a vanishing client and a broadcast.
    cmds = [{"atMs": 5 * k, "kind": "open", "conn": f"c{k}", "userId": f"u{k}"} for k in (1, 2, 3)]
    for k in range(1, 12):
        cmds.append({"atMs": 30 + 7 * k, "kind": "emit", "conn": f"c{1 + k % 3}", "eventType": "agent_thinking"})
    cmds += [
        {"atMs": 60, "kind": "clientMessage", "conn": "c1", "text": "hello"},
        {"atMs": 70, "kind": "abrupt", "conn": "c3"},
        {"atMs": 71, "kind": "clientMessage", "conn": "c2", "text": "still here"},
        {"atMs": 90, "kind": "broadcast", "eventType": "agent_completed"},
        {"atMs": 120, "kind": "appClose", "conn": "c2", "code": 1000, "reason": "agent finished"},
        {"atMs": 130, "kind": "peerClose", "conn": "c1", "code": 1000},
    ]
    return scenario(sorted(cmds, key=lambda c: c["atMs"]), tail=7, latencyMsMin=1, latencyMsMax=5, handshakeDelayMsMax=10)


def run(design, sc, settle=2000, rid=1):
    return json.loads(answer(DesignSource(design), json.dumps({"id": rid, "scenario": sc, "settleMs": settle})))


def actions(response, conn=None):
    return [(e["conn"], e["actor"], e["action"]) for e in response["trace"] if conn is None or e["conn"] == conn]


def serve(design, lines, env=None):
    proc = subprocess.run(
        [sys.executable, "-m", "ws_lifecycle_runner", "serve", design],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True, cwd=RUNNER, timeout=60,
        env=dict(os.environ, **(env or {})),
    )
    return proc.returncode, proc.stdout.splitlines(), proc.stderr


class ProtocolTest(unittest.TestCase):
    def test_round_trip_bad_request_and_determinism_across_processes(self):
        request = json.dumps({"id": 7, "scenario": chat_scenario(), "settleMs": 2000})
        bad = json.dumps({"id": 8, "scenario": {"knobs": {}, "commands": [{"atMs": 0, "kind": "jump"}]}})
        rc, out, err = serve(CHAT, [request, bad, request], env={"PYTHONHASHSEED": "random"})
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out), 4)
        ready = json.loads(out[0])["ready"]
        self.assertEqual((ready["name"], ready["path"], ready["hooks"]), ("chat", "/ws/{n}?user={user}", ["emit", "broadcast"]))
        self.assertEqual(ready["versions"]["uvicorn"], "0.17.6")
        first = json.loads(out[1])
        self.assertEqual(first["id"], 7)
        self.assertEqual(first["userOf"], {"c1": "u1", "c2": "u2", "c3": "u3"})
        self.assertEqual([e["i"] for e in first["trace"]], list(range(len(first["trace"]))))
        self.assertIn(("c1", "workload", "emitReturned"), actions(first))
        self.assertEqual(json.loads(out[2]), {"id": 8, "error": "scenario.commands[0].kind: expected open, clientMessage, peerClose, abrupt, emit, broadcast or appClose"})
        self.assertEqual(out[3], out[1])  # the same request, a fresh app: the same bytes
        _, again, _ = serve(CHAT, [request], env={"PYTHONHASHSEED": "3"})
        self.assertEqual(again[1], out[1])  # another process, another hash seed

    def test_load_errors_are_one_line_and_exit_2(self):
        rc, out, _ = serve(os.path.join(HERE, "designs", "no_app.py"), [])
        self.assertEqual(rc, 2)
        self.assertEqual(len(out), 1)
        self.assertRegex(json.loads(out[0])["error"], r"no_app\.py: defines no `app`")
        cases = {
            "missing.py": r"missing\.py: No such file or directory",
            "no_path.py": r"no_path\.py: `path` must be a str",
            "syntax.py": r"syntax\.py:3: SyntaxError: ",
            "bad_import.py": r"bad_import\.py:1: ModuleNotFoundError: No module named 'no_such_module_for_the_runner_tests'",
        }
        for file, pattern in cases.items():
            with self.subTest(file=file), self.assertRaisesRegex(DesignError, pattern):
                DesignSource(os.path.join(HERE, "designs", file)).instance()


class RunnerFailureTest(unittest.TestCase):
    def test_a_failing_runner_callback_is_an_error_response_and_the_next_run_works(self):
        from ws_lifecycle_runner import net

        cmds = [{"atMs": 0, "kind": "open", "conn": "c1", "userId": "u1"}]
        original = net.Network._fire

        def broken(self, due_us):
            raise KeyError("broken delivery")

        net.Network._fire = broken
        try:
            failed = run(ECHO, scenario(cmds))
        finally:
            net.Network._fire = original
        self.assertEqual(set(failed), {"id", "error"})
        self.assertRegex(failed["error"], r"^runner: Exception in callback .*broken\(0\): KeyError: 'broken delivery'$")
        self.assertEqual(run(ECHO, scenario(cmds))["trace"][-1]["action"], "settled")


class DecisionTest(unittest.TestCase):
    def test_a_chosen_latency_moves_the_connect(self):
        cmds = [{"atMs": 0, "kind": "open", "conn": "c1", "userId": "u1"}]
        fast = run(ECHO, scenario(cmds, [0], latencyMsMin=0, latencyMsMax=9))
        slow = run(ECHO, scenario(cmds, [7], latencyMsMin=0, latencyMsMax=9))
        t = lambda r: next(e["t"] for e in r["trace"] if e["action"] == "connect")  # noqa: E731
        self.assertEqual((t(fast), t(slow)), (0.0, 7.0))

    def test_same_instant_deliveries_follow_the_choice(self):
        cmds = [{"atMs": 0, "kind": "open", "conn": c, "userId": "u"} for c in ("c1", "c2")]
        fifo = run(ECHO, scenario(cmds, []))
        swapped = run(ECHO, scenario(cmds, [1]))
        first = lambda r: next(e["conn"] for e in r["trace"] if e["action"] == "connect")  # noqa: E731
        self.assertEqual((first(fifo), first(swapped)), ("c1", "c2"))

    def test_heal_rule_no_fault_after_the_last_command(self):
        # Every data frame the browser reads makes it leave (1001) while faults are active.
        # Zero delays: the fault window is 0, so faults heal when the last command runs.
        opened = [{"atMs": 0, "kind": "open", "conn": "c1", "userId": "u1"}, {"atMs": 5, "kind": "emit", "conn": "c1", "eventType": "agent_started"}]
        later = opened + [{"atMs": 100, "kind": "clientMessage", "conn": "c1", "text": "x"}]
        active = run(ECHO, scenario(later, peerClosePerMillion=1_000_000))
        healed = run(ECHO, scenario(opened, peerClosePerMillion=1_000_000))
        close = ("c1", "client", "close")
        self.assertIn(close, actions(active))
        self.assertEqual(next(e["detail"]["code"] for e in active["trace"] if e["action"] == "close" and e["actor"] == "client"), 1001)
        self.assertNotIn(close, actions(healed))
        self.assertEqual(healed["trace"][-1]["detail"]["phases"], {"c1": "ready"})

    def test_a_stalled_reader_pauses_the_server_transport(self):
        cmds = [{"atMs": 0, "kind": "open", "conn": "c1", "userId": "u1"}]
        cmds += [{"atMs": 10, "kind": "emit", "conn": "c1", "eventType": "agent_thinking"} for _ in range(5)]
        cmds += [{"atMs": 500, "kind": "clientMessage", "conn": "c1", "text": "x"}]
        r = run(ECHO, scenario(cmds, [99] * 100, readStallPerMillion=1_000_000, readStallMsMax=100, writeBufferFrames=2))
        trace = r["trace"]
        idx = lambda action: next(e["i"] for e in trace if e["action"] == action)  # noqa: E731
        stalled, paused, resumed = trace[idx("stalled")], trace[idx("paused")], trace[idx("resumed")]
        self.assertEqual((stalled["t"], stalled["detail"]), (10.0, {"ms": 100}))
        self.assertEqual((paused["t"], paused["detail"]), (10.0, {"unread": 3}))
        self.assertEqual((resumed["t"], resumed["detail"]), (110.0, {"unread": 0}))
        # The sends held in the paused transport return (websockets' drain) only after resume.
        returned = [e for e in trace if e["action"] == "emitReturned"]
        self.assertEqual(len(returned), 5)
        self.assertEqual(sum(e["t"] == 10.0 for e in returned), 2)
        self.assertTrue(all(e["i"] > resumed["i"] for e in returned if e["t"] != 10.0))
        self.assertEqual(trace[-1]["action"], "settled")


if __name__ == "__main__":
    unittest.main()


class FreshModulesTest(unittest.TestCase):
    def test_an_app_module_beside_the_design_starts_afresh_every_run(self):
        source = DesignSource(os.path.join(HERE, "designs", "local_app", "counter_design.py"))
        sc = json.dumps({"id": 1, "scenario": scenario([{"atMs": 0, "kind": "open", "conn": "c1", "userId": "u1"}]), "settleMs": 50})
        counts = []
        for _ in range(3):
            trace = json.loads(answer(source, sc))["trace"]
            counts += [e["frame"] for e in trace if e["actor"] == "net" and e["action"] == "wire" and "frame" in e]
        self.assertEqual(counts, [1, 1, 1])
