"""The worker dies with what started it (worker.die_with_parent: prctl PR_SET_PDEATHSIG).

python3 -m unittest discover -s tests (from adapters/python/runner). Linux only.

Each test keeps the worker's stdin open from elsewhere (a pipe whose write end this process
holds), so EOF cannot be what ends it: only the kernel's SIGKILL does.
"""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.dirname(HERE)
ECHO = os.path.join(HERE, "designs", "echo.py")
SERVE = [sys.executable, "-m", "ws_lifecycle_runner", "serve", ECHO]


def gone(pid: int) -> bool:
    """No such process, or a zombie (dead, not reaped: init in a container may not reap)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@unittest.skipUnless(sys.platform.startswith("linux"), "PR_SET_PDEATHSIG is Linux's")
class ParentDeathTest(unittest.TestCase):
    def setUp(self) -> None:
        self.stdin_r, self.stdin_w = os.pipe()  # the write end stays open here

    def tearDown(self) -> None:
        os.close(self.stdin_w)
        os.close(self.stdin_r)

    def test_killed_when_the_thread_that_spawned_it_exits(self):
        # As a Node worker thread: the process lives on, the spawning thread ends.
        started = {}

        def spawn() -> None:
            proc = subprocess.Popen(SERVE, cwd=RUNNER, stdin=self.stdin_r, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            started["proc"] = proc
            started["ready"] = proc.stdout.readline()  # prctl is done before the ready line

        thread = threading.Thread(target=spawn)
        thread.start()
        thread.join()
        proc = started["proc"]
        self.assertIn(b'"ready"', started["ready"])
        try:
            self.assertEqual(proc.wait(timeout=10), -signal.SIGKILL)
        finally:
            proc.kill()
            proc.stdout.close()

    def test_killed_when_the_parent_process_exits(self):
        parent = textwrap.dedent(
            f"""
            import subprocess, sys
            proc = subprocess.Popen({SERVE!r}, cwd={RUNNER!r}, stdin={self.stdin_r}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, pass_fds=({self.stdin_r},))
            line = proc.stdout.readline()
            print(proc.pid, line.startswith(b'{{"ready"'), flush=True)
            """
        )
        done = subprocess.run([sys.executable, "-c", parent], pass_fds=(self.stdin_r,), capture_output=True, text=True, timeout=30)
        pid, ready = done.stdout.split()
        self.assertEqual(ready, "True", done.stderr)
        deadline = time.monotonic() + 10
        while not gone(int(pid)) and time.monotonic() < deadline:
            time.sleep(0.02)
        if not gone(int(pid)):
            os.kill(int(pid), signal.SIGKILL)
            self.fail(f"the worker {pid} outlived its parent")

    def test_exits_at_once_when_the_parent_is_already_gone(self):
        code = "from ws_lifecycle_runner.worker import die_with_parent; die_with_parent(-1); print('alive')"
        done = subprocess.run([sys.executable, "-c", code], cwd=RUNNER, stdin=self.stdin_r, capture_output=True, text=True, timeout=30)
        self.assertEqual((done.returncode, done.stdout), (1, ""))


if __name__ == "__main__":
    unittest.main()
