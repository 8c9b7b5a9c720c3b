"""Staff accounts from the command line, and the demo accounts `make run` creates.

    python -m inbox.admin create-user USER --role ROLE --name NAME [--departments a,b] [--password-env VAR]
    python -m inbox.admin bootstrap            # from INBOX_BOOTSTRAP_USERS

The password is read from an environment variable or asked for; it is never an argument (it would show in
the process list and the shell history)."""

import argparse
import asyncio
import getpass
import os
import sys

from pymongo import AsyncMongoClient

from inbox.adapters.users import UserStore
from inbox.auth.passwords import hash_password
from inbox.auth.principal import ROLES
from inbox.config import load_settings


def parse_bootstrap(spec: str) -> list[dict]:
    """`user:role:password[:departments]` entries separated by `;`."""
    users = []
    for entry in filter(None, (e.strip() for e in spec.split(";"))):
        parts = entry.split(":")
        if len(parts) < 3 or parts[1] not in ROLES or not parts[0] or not parts[2]:
            raise ValueError(f"bad bootstrap entry for {parts[0]!r}: want user:role:password[:departments]")
        departments = [d for d in (parts[3].split(",") if len(parts) > 3 else []) if d]
        users.append({"user_id": parts[0], "role": parts[1], "password": parts[2],
                      "departments": departments or (["*"] if parts[1] != "department_staff" else [])})
    return users


async def bootstrap(store: UserStore, spec: str | None) -> list[str]:
    """Create the accounts of `spec` that do not exist yet (marked as bootstrap accounts), and give existing
    bootstrap accounts the password in `spec` (so the demo passwords `make run` prints always work); accounts
    made any other way are never touched. Returns the ids created."""
    created = []
    for u in parse_bootstrap(spec or ""):
        name = u["user_id"].replace("_", " ").replace(".", " ").title()
        if await store.create_user(user_id=u["user_id"], name=name, role=u["role"], password=u["password"],
                                   departments=u["departments"], bootstrap=True):
            created.append(u["user_id"])
        elif (await store.get(u["user_id"]) or {}).get("bootstrap"):
            await store.set_password_hash(u["user_id"], hash_password(u["password"]))
    return created


async def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m inbox.admin", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-user", help="create a staff account")
    create.add_argument("user_id")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--name", required=True)
    create.add_argument("--departments", default="", help="comma-separated department ids (`*` for all)")
    create.add_argument("--accounts", default="*", help="official account ids they may reply from (`*` for all)")
    create.add_argument("--languages", default="en")
    create.add_argument("--capacity", type=int)
    create.add_argument("--staff-since", help="first working day (YYYY-MM-DD), for the new-staff approval rule")
    create.add_argument("--email")
    create.add_argument("--password-env", help="environment variable holding the password (else asked for)")
    sub.add_parser("bootstrap", help="create the accounts in INBOX_BOOTSTRAP_USERS that are missing")
    args = parser.parse_args(argv)
    settings = load_settings()
    client = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, serverSelectionTimeoutMS=5000)
    store = UserStore(client, settings.database)
    try:
        await store.ensure_indexes()
        if args.command == "bootstrap":
            print("created:", ", ".join(await bootstrap(store, settings.bootstrap_users)) or "nothing")
            return 0
        password = os.environ.get(args.password_env) if args.password_env else getpass.getpass("Password: ")
        if not password:
            print("no password given", file=sys.stderr)
            return 2
        split = lambda v: [x for x in v.split(",") if x]  # noqa: E731
        ok = await store.create_user(
            user_id=args.user_id, name=args.name, role=args.role, password=password,
            departments=split(args.departments), accounts=split(args.accounts), languages=split(args.languages),
            capacity=args.capacity, staff_since=args.staff_since, email=args.email,
        )
        print("created" if ok else "already exists")
        return 0 if ok else 1
    finally:
        await client.close()


def main() -> None:
    sys.exit(asyncio.run(_main(sys.argv[1:])))


if __name__ == "__main__":
    main()
