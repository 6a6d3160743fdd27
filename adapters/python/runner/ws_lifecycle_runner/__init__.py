"""Deterministic runs of a real Starlette/FastAPI WebSocket app on virtual time (see README.md)."""

from .loop import SimulationError, VirtualLoop, patched_clock
from .sim import ScenarioError, conn_of, load_app, run_scenario, run_scenario_file

__all__ = ["VirtualLoop", "SimulationError", "patched_clock", "ScenarioError", "conn_of", "load_app", "run_scenario", "run_scenario_file"]
