"""The Python Chooser/Prng give the TypeScript ones' draws (src/sim/prng.ts, src/sim/chooser.ts).

EXPECTED was printed by the TypeScript code with the script TS_SCRIPT below (from the
repository root: `npx tsx -e "$(python3 -c 'import test_chooser; print(test_chooser.TS_SCRIPT)')"`);
`test_against_typescript` runs it again when `npx` is on PATH.
"""

import json
import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
sys.path.insert(0, os.path.dirname(HERE))

from ws_lifecycle_runner.chooser import Chooser, Prng  # noqa: E402

SEEDS = [0, 7, 42, 4294967295, -5]
WEIRD = "h\u00e9llo\u20ac\U0001F600"  # non-ASCII, and a character outside the BMP (two UTF-16 units)
CHOICES = [3, 1e12, -7.9, 5]

TS_SCRIPT = (
    "Promise.all([import('ROOT/src/sim/prng.ts'), import('ROOT/src/sim/chooser.ts')]).then(([{ Prng }, { Chooser }]) => {"
    " const out = {};"
    " for (const seed of SEEDS) { const r = Prng.fromSeed(seed); const net = r.derive('network'); const w = r.derive(WEIRD);"
    " out[`prng:${seed}`] = [Array.from({ length: 5 }, () => r.nextUint32()), Array.from({ length: 5 }, () => net.below(1000)),"
    " Array.from({ length: 3 }, () => w.nextUint32())]; }"
    " const c = Chooser.fromScenario(CHOICES, 11);"
    " out['chooser'] = [c.choose('latency', 9), c.choose('hop', 4), c.choose('latency', 3), c.chance('abrupt', 500000),"
    " c.choose('latency', 400), c.choose('readStall', 999999), c.choose('hop', 2), c.chance('sendFail', 50000), c.choose('x', 10)];"
    " console.log(JSON.stringify(out)); })"
).replace("ROOT", ROOT).replace("SEEDS", json.dumps(SEEDS)).replace("WEIRD", json.dumps(WEIRD)).replace("CHOICES", json.dumps(CHOICES))

EXPECTED = {
    "prng:0": [[3300212312, 1743954244, 207519241, 3716241083, 193275849], [651, 397, 109, 473, 12], [417066704, 3530227753, 2287530596]],
    "prng:7": [[1728215149, 1063883477, 1204187743, 2336762771, 496092237], [281, 617, 260, 452, 884], [2623204337, 47785680, 3712281469]],
    "prng:42": [[1426147210, 99950177, 1263180733, 393384889, 2600912985], [735, 936, 696, 809, 732], [3456302270, 3362772611, 2640310805]],
    "prng:4294967295": [[3833913553, 361582816, 3398979163, 1921431989, 516072959], [62, 286, 291, 197, 904], [3125785949, 3713313851, 2595507497]],
    "prng:-5": [[3359800715, 471387540, 3249941669, 3507028692, 3525602700], [203, 941, 289, 307, 86], [2911120089, 4137195112, 1901444606]],
    "chooser": [3, 0, 3, False, 159, 1806, 2, False, 8],
}


def python_draws():
    out = {}
    for seed in SEEDS:
        r = Prng.from_seed(seed)
        net = r.derive("network")
        w = r.derive(WEIRD)
        out[f"prng:{seed}"] = [[r.next_uint32() for _ in range(5)], [net.below(1000) for _ in range(5)], [w.next_uint32() for _ in range(3)]]
    c = Chooser.from_scenario(CHOICES, 11)
    out["chooser"] = [
        c.choose("latency", 9), c.choose("hop", 4), c.choose("latency", 3), c.chance("abrupt", 500000),
        c.choose("latency", 400), c.choose("readStall", 999999), c.choose("hop", 2), c.chance("sendFail", 50000), c.choose("x", 10),
    ]
    return out


class ChooserTest(unittest.TestCase):
    def test_same_draws_as_typescript(self):
        self.assertEqual(python_draws(), EXPECTED)

    def test_calm_tail_and_max_zero(self):
        c = Chooser.from_scenario([5], None)
        self.assertEqual(c.choose("latency", 0), 0)  # reads nothing
        self.assertEqual(c.choose("latency", 3), 1)
        self.assertEqual([c.choose("latency", 9), c.chance("abrupt", 999_999)], [0, False])
        self.assertTrue(c.chance("abrupt", 1_000_000))

    @unittest.skipIf(shutil.which("npx") is None or not os.path.isfile(os.path.join(ROOT, "src", "sim", "prng.ts")), "no npx or no TypeScript sources")
    def test_against_typescript(self):
        out = subprocess.run(["npx", "tsx", "-e", TS_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
        self.assertEqual(json.loads(out.stdout), python_draws())


if __name__ == "__main__":
    unittest.main()
