"""Speech engines behind one small interface; see :mod:`.base`."""
from .base import Engine, available_engines, get_engine, register_engine

__all__ = ["Engine", "available_engines", "get_engine", "register_engine"]
