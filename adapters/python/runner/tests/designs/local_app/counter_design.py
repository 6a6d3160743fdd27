"""A design importing its app from a module beside it (counter.py), as users do."""
from counter import app  # noqa: F401

path = "/ws/{conn}"
