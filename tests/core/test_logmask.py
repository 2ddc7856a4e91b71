"""The log formatter masks keys the executor sent, even ones that do not look like keys; bounded memory."""

from __future__ import annotations

import asyncio
import logging

import httpx

from explorer.core.lifecycle.executors import new_executor
from explorer.core.logmask import MaskingFormatter, SecretMemory
from explorer.core.prepared import PreparedRequest

PLAIN_KEY = "correct horse battery staple"  # a password-like User API key: nothing in it looks like a key


def _record(text: str) -> logging.LogRecord:
    return logging.LogRecord("explorer", logging.ERROR, __file__, 1, "failed: %s", (text,), None)


def test_a_key_the_executor_sent_is_masked_in_log_records_and_only_then() -> None:
    memory = SecretMemory()
    formatter = MaskingFormatter("%(message)s", memory)
    assert PLAIN_KEY in formatter.format(_record(PLAIN_KEY))  # not remembered, not key-shaped: kept

    request = PreparedRequest("GET", "http://127.0.0.1:1/x", headers=(("User-Api-Key", PLAIN_KEY),))
    transport = httpx.MockTransport(lambda _request: httpx.Response(200, json={}))
    executor = new_executor(timeout_s=5, transport=transport, secret_memory=memory)

    async def send() -> None:
        try:
            await executor.execute(request)
        finally:
            await executor.aclose()

    asyncio.run(send())
    assert PLAIN_KEY not in formatter.format(_record(PLAIN_KEY))
    assert PLAIN_KEY not in MaskingFormatter("%(message)s", memory).format(_record(f"with {PLAIN_KEY}!"))


def test_the_memory_keeps_the_most_recent_keys_only() -> None:
    memory = SecretMemory(limit=3)
    memory.remember(["first-key-1", "second-key-2", "", "third-key-3"])
    memory.remember(["fourth-key-4"])
    assert set(memory.secrets()) == {"second-key-2", "third-key-3", "fourth-key-4"}
    memory.remember(["second-key-2", "fifth-key-5"])  # remembered again: the most recent, kept
    assert set(memory.secrets()) == {"second-key-2", "fourth-key-4", "fifth-key-5"}


def test_two_memories_do_not_share_keys() -> None:
    one, other = SecretMemory(), SecretMemory()
    one.remember([PLAIN_KEY])
    assert other.secrets() == [] and PLAIN_KEY in other.mask(PLAIN_KEY)
