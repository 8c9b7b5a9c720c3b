"""Staff accounts, server-side sessions, API tokens and OIDC sign-in states in MongoDB (owned by inbox).

Session ids and API tokens are random 256-bit values handed to the client once; only their SHA-256 is
stored, so a copy of the database does not sign anyone in. Expiry is checked on every read (FerretDB has no
TTL indexes) and expired rows are swept when someone signs in."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, AsyncMongoClient, ReturnDocument
from pymongo.errors import DuplicateKeyError

from inbox.auth.passwords import hash_password


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


class UserStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.users = db["users"]
        self.sessions = db["sessions"]
        self.tokens = db["api_tokens"]
        self.oidc_states = db["oidc_states"]

    async def ensure_indexes(self) -> None:
        await self.sessions.create_index([("expires_at", ASCENDING)])
        await self.tokens.create_index([("user_id", ASCENDING)])
        await self.users.create_index([("oidc_subject", ASCENDING)])
        await self.users.create_index([("email", ASCENDING)])

    # Accounts.

    async def create_user(self, *, user_id: str, name: str, role: str, password: str | None,
                          departments: list[str] | None = None, accounts: list[str] | None = None,
                          languages: list[str] | None = None, capacity: int | None = None,
                          staff_since: str | None = None, email: str | None = None, bootstrap: bool = False) -> bool:
        """Create the account; False when it already exists (it is left as it is)."""
        doc = {
            "_id": user_id, "name": name, "role": role, "departments": departments or [],
            "accounts": accounts if accounts is not None else ["*"], "languages": languages or ["en"],
            "capacity": capacity, "staff_since": staff_since, "email": email and email.lower(),
            "password_hash": hash_password(password) if password else None, "active": True, "created_at": now(),
            "bootstrap": bootstrap,
        }
        try:
            await self.users.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, user_id: str) -> dict | None:
        return await self.users.find_one({"_id": user_id})

    async def all_users(self) -> list[dict]:
        return [u async for u in self.users.find({}, projection={"password_hash": False}).sort([("_id", ASCENDING)])]

    async def set_password_hash(self, user_id: str, password_hash: str) -> None:
        await self.users.update_one({"_id": user_id}, {"$set": {"password_hash": password_hash}})

    async def failed_login(self, user_id: str, *, limit: int, pause: timedelta) -> None:
        doc = await self.users.find_one_and_update(
            {"_id": user_id}, {"$inc": {"failed_logins": 1}}, return_document=ReturnDocument.AFTER
        )
        if doc and doc.get("failed_logins", 0) >= limit:
            await self.users.update_one({"_id": user_id}, {"$set": {"paused_until": now() + pause, "failed_logins": 0}})

    async def set_ui_language(self, user_id: str, language: str) -> None:
        """The language the person chose for the staff interface (`en` or `cy`)."""
        await self.users.update_one({"_id": user_id}, {"$set": {"ui_language": language}})

    async def good_login(self, user_id: str) -> None:
        await self.users.update_one({"_id": user_id}, {"$set": {"failed_logins": 0, "last_login_at": now()}})

    async def by_oidc(self, subject: str, email: str | None) -> dict | None:
        user = await self.users.find_one({"oidc_subject": subject, "active": {"$ne": False}})
        if user is None and email:
            user = await self.users.find_one({"email": email.lower(), "oidc_subject": None, "active": {"$ne": False}})
            if user is not None:
                await self.users.update_one({"_id": user["_id"]}, {"$set": {"oidc_subject": subject}})
        return user

    # Sessions.

    async def open_session(self, user_id: str, *, hours: float, auth: str = "password") -> str:
        session = secrets.token_urlsafe(32)
        at = now()
        await self.sessions.delete_many({"expires_at": {"$lt": at}})
        await self.sessions.insert_one({"_id": digest(session), "user_id": user_id, "created_at": at, "auth": auth,
                                        "expires_at": at + timedelta(hours=hours)})
        return session

    async def session_user(self, session: str) -> tuple[dict, str] | None:
        row = await self.sessions.find_one({"_id": digest(session)})
        if row is None or row["expires_at"] <= now():
            return None
        user = await self.users.find_one({"_id": row["user_id"], "active": {"$ne": False}})
        return (user, row["_id"]) if user else None

    async def close_session(self, session_id: str) -> None:
        await self.sessions.delete_one({"_id": session_id})

    # API tokens.

    async def create_token(self, user_id: str, *, name: str, days: int) -> tuple[str, dict]:
        token = "cit_" + secrets.token_urlsafe(32)
        row = {"_id": digest(token), "user_id": user_id, "name": name, "created_at": now(),
               "expires_at": now() + timedelta(days=days), "prefix": token[:8]}
        await self.tokens.insert_one(row)
        return token, row

    async def token_user(self, token: str) -> dict | None:
        row = await self.tokens.find_one({"_id": digest(token)})
        if row is None or row["expires_at"] <= now():
            return None
        return await self.users.find_one({"_id": row["user_id"], "active": {"$ne": False}})

    async def tokens_of(self, user_id: str) -> list[dict]:
        return [t async for t in self.tokens.find({"user_id": user_id}).sort([("created_at", ASCENDING)])]

    async def revoke_token(self, user_id: str, token_id: str) -> bool:
        return (await self.tokens.delete_one({"_id": token_id, "user_id": user_id})).deleted_count == 1

    # OIDC sign-in states (one-time).

    async def save_oidc_state(self, state: str, doc: dict) -> None:
        await self.oidc_states.delete_many({"expires_at": {"$lt": now()}})
        await self.oidc_states.insert_one({"_id": digest(state), **doc, "expires_at": now() + timedelta(minutes=10)})

    async def take_oidc_state(self, state: str) -> dict | None:
        row = await self.oidc_states.find_one_and_delete({"_id": digest(state)})
        if row is None or row["expires_at"] <= now():
            return None
        return row
