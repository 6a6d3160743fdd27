"""The runner's server side matches real uvicorn 0.17.6 on a loopback socket (conformance/rows.py).

python3 -m unittest discover -s tests (from adapters/python/runner). About 1 s.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from conformance import rows  # noqa: E402


class ConformanceTest(unittest.TestCase):
    def test_every_row_observes_the_same_in_the_runner_as_under_real_uvicorn(self):
        results = rows.compare()
        self.assertEqual(len(results), len(rows.ROWS) + len(rows.TRANSPORT_ROWS))
        for name, same, real, runner in results:
            with self.subTest(row=name):
                self.assertTrue(same, f"real: {real}\nrunner: {runner}")

    def test_the_rows_pin_uvicorns_own_texts(self):
        # Not a comparison: what real uvicorn shows, so that a row cannot pass by both sides
        # observing nothing.
        real = rows.run_real()
        self.assertIn("send websocket.send raised builtins.RuntimeError: Unexpected ASGI message 'websocket.send', after sending 'websocket.close'.", real["send_after_disconnect"])
        self.assertIn("receive raised builtins.AttributeError: 'NoneType' object has no attribute 'add_done_callback'", real["reset_before_accept"])
        self.assertIn("send websocket.send raised websockets.exceptions.ConnectionClosedError: no close frame received or sent", real["send_to_vanished_rst"])
        self.assertEqual(real["handshake_timing"][:2], ["receive -> websocket.connect (no loop turn)", "send websocket.accept -> ok (no loop turn)"])


if __name__ == "__main__":
    unittest.main()
