"""Speech engines behind one small interface; see :mod:`.base`."""
from .base import DEFAULT_ENGINE, Engine, available_engines, get_engine, register_engine

__all__ = ["DEFAULT_ENGINE", "Engine", "available_engines", "get_engine", "register_engine"]
