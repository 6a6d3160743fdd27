"""The TypeScript simulation's choice source, ported: ``Prng`` (src/sim/prng.ts) and
``Chooser.from_scenario`` (src/sim/chooser.ts), draw for draw.

Every nondeterministic decision of a run (a latency, a fault, which of several deliveries
due at one instant goes first) is one ``choose(label, max)``: the scenario's ``choices``
are read in order (``choices[k] % (max + 1)``), then, once they run out, the seeded stream
of ``tailSeed`` (one sfc32 sub-stream per subsystem, named as in ``subsystemOf``), or 0 when
there is no tail seed: minimum latency, no fault, FIFO order.
"""

from __future__ import annotations

import math
from typing import Callable, Dict, List, Optional, Sequence

PER_MILLION = 1_000_000
_M32 = 0xFFFFFFFF


def fnv1a(text: str) -> int:
    """FNV-1a over the UTF-16 code units of `text`, as uint32 (JavaScript's charCodeAt)."""
    h = 0x811C9DC5
    data = text.encode("utf-16-le")
    for k in range(0, len(data), 2):
        h ^= data[k] | (data[k + 1] << 8)
        h = (h * 0x01000193) & _M32
    return h


class Prng:
    """sfc32 on uint32, as src/sim/prng.ts: ``from_seed``, ``derive``, ``next_uint32``, ``below``."""

    __slots__ = ("a", "b", "c", "d", "seed")

    def __init__(self, seed: int, salt: int) -> None:
        self.seed = seed & _M32
        self.a = salt & _M32
        self.b = self.seed
        self.c = (self.seed ^ 0x9E3779B9) & _M32
        self.d = 1
        for _ in range(15):
            self.next_uint32()

    @staticmethod
    def from_seed(seed: int) -> "Prng":
        return Prng(seed, 0)

    def derive(self, name: str) -> "Prng":
        return Prng(self.seed ^ fnv1a(name), fnv1a(f"salt:{name}"))

    def next_uint32(self) -> int:
        a, b, c, d = self.a, self.b, self.c, self.d
        t = (a + b + d) & _M32
        self.d = (d + 1) & _M32
        self.a = b ^ (b >> 9)
        self.b = (c + (c << 3)) & _M32
        c = ((c << 21) & _M32) | (c >> 11)
        self.c = (c + t) & _M32
        return t

    def below(self, bound: int) -> int:
        if bound < 1 or bound > 0x1_0000_0000:
            raise ValueError(f"Prng.below: bound must be an integer in 1..2^32, got {bound}")
        if bound == 1:
            return 0
        limit = 0x1_0000_0000 - (0x1_0000_0000 % bound)
        while True:
            x = self.next_uint32()
            if x < limit:
                return x % bound


_SUBSYSTEM = {
    "hop": "network",
    "latency": "network",
    "handshake": "network",
    "authDelay": "faults",
    "authFail": "faults",
    "prepareDelay": "faults",
    "peerClose": "faults",
    "abrupt": "faults",
    "sendFail": "faults",
    "pongDelay": "faults",
    "readStall": "reader",
    "readStallMs": "reader",
}


def _seeded_source(seed: int) -> Callable[[str, int], int]:
    root = Prng.from_seed(seed)
    streams: Dict[str, Prng] = {}

    def draw(label: str, max_inclusive: int) -> int:
        name = _SUBSYSTEM.get(label, "workload")
        stream = streams.get(name)
        if stream is None:
            stream = streams[name] = root.derive(name)
        return stream.below(max_inclusive + 1)

    return draw


def _choice_value(raw: object, max_inclusive: int) -> int:
    """``Math.abs(Math.trunc(raw)) % (max + 1)``, 0 for a value that is not a finite number."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return 0
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return 0
        raw = int(math.trunc(raw))
    return abs(raw) % (max_inclusive + 1)


class Chooser:
    """``choose(label, max)`` and ``chance(label, perMillion)``, as src/sim/chooser.ts."""

    def __init__(self, choices: Sequence[object], tail_seed: Optional[int]) -> None:
        self._choices = choices
        self._next = 0
        self._tail = None if tail_seed is None else _seeded_source(tail_seed)
        self.taken: List[int] = []

    @staticmethod
    def from_scenario(choices: Sequence[object], tail_seed: Optional[int]) -> "Chooser":
        return Chooser(choices, tail_seed)

    def choose(self, label: str, max_inclusive: int) -> int:
        if max_inclusive < 0:
            raise ValueError(f"Chooser.choose({label}): max must be a non-negative integer, got {max_inclusive}")
        if max_inclusive == 0:
            return 0  # one possible answer: no decision, nothing read
        k = self._next
        self._next = k + 1
        if k < len(self._choices):
            value = _choice_value(self._choices[k], max_inclusive)
        elif self._tail is not None:
            value = self._tail(label, max_inclusive)
        else:
            value = 0
        self.taken.append(value)
        return value

    def chance(self, label: str, per_million: int) -> bool:
        """True with probability perMillion / 1e6; a choice of 0 means no."""
        if per_million <= 0:
            return False
        if per_million >= PER_MILLION:
            return True
        return self.choose(label, PER_MILLION - 1) >= PER_MILLION - per_million


__all__ = ["Prng", "Chooser", "fnv1a", "PER_MILLION"]
