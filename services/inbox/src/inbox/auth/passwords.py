"""Password hashing with Argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile).

Hashing takes tens of milliseconds of CPU and 64 MiB of memory by design, so the sign-in path runs it in a
small thread pool of its own (`verify_password_async`, `hash_password_async`): the event loop keeps serving
everyone else, and a burst of sign-ins queues for the pool instead of exhausting memory."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the account does not exist, so an unknown user takes as long as a wrong password.
_DUMMY = _hasher.hash("not-a-real-password")
HASHING_THREADS = 2
_pool = ThreadPoolExecutor(max_workers=HASHING_THREADS, thread_name_prefix="argon2")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """`verify_password` off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_pool, verify_password, password_hash, password)


async def hash_password_async(password: str) -> str:
    """`hash_password` off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_pool, hash_password, password)
