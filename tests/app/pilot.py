"""Waiting in pilot tests: poll a condition with a deadline, letting the app run between polls (never a bare sleep)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any


async def until(pilot: Any, pred: Callable[[], Any], timeout: float = 30.0, what: str = "condition",
                interval: float = 0.1) -> Any:
    """``pred()``'s first truthy value; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        await pilot.pause(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


async def until_async(pred: Callable[[], Any], timeout: float = 30.0, what: str = "condition") -> Any:
    """``until`` without an app: poll with a deadline, yielding to the event loop between polls."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
