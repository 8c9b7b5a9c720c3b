"""`civic-inbox records …`: retention, legal holds, subject access, erasure and FOI export, run by an
administrator against the responder's database (`MONGODB_URI`, `RESPONDER_DATABASE`). Every command is
written to the audit log with `--by` as the actor.

    civic-inbox records retention [--dry-run] [--no-kafka]
    civic-inbox records hold --reason R (--conversation KEY | --person ID ... | --from DATE --to DATE)
    civic-inbox records hold --release HOLD_ID --reason R
    civic-inbox records hold --list
    civic-inbox records subject-access --person ID [--person ID ...] --request REF --output DIR
    civic-inbox records erase --person ID [--person ID ...] --reason R --request REF
    civic-inbox records foi-export --from DATE --to DATE [--account ID] [--department ID] --request REF --output DIR

A person is named by any of their identifiers: a phone number, an email address, a platform id or an
`@handle`, optionally prefixed by the channel (`sms:+447700900123`). Exit codes: 0 done, 1 refused (a
legal hold, nothing to release), 2 usage or configuration error.

An erasure and a (real) retention run are announced to the other services (`records.erased.v1`,
`records.retention.v1`) exactly as responder announces them: written to responder's outbox first, then sent
to Kafka (`KAFKA_BOOTSTRAP_SERVERS`); when Kafka does not take it, the entry stays in the outbox and the
running responder's relay sends it, so the connectors' copy is never left behind. The output says which
(`"announced": "published"` or `"queued"`).
"""

import argparse
import asyncio
import contextlib
import getpass
import json
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from civic_contracts import TOPICS
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from responder.adapters import kafka_topics
from responder.adapters.kafka import OutboxPublisher, Publisher
from responder.adapters.mongo_outbox import Outbox
from responder.adapters.mongo_records import RecordsStore
from responder.config import load_policy, load_settings
from responder.service.records import bundle, erasure, foi, holds, retention, subject


def _date(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="civic-inbox records", description="Records management (admin).")
    parser.add_argument("--by", default=f"cli:{getpass.getuser()}", help="who is acting (written to the audit log)")
    cmds = parser.add_subparsers(dest="command", required=True)
    r = cmds.add_parser("retention", help="apply the retention schedule (daily job) now")
    r.add_argument("--dry-run", action="store_true", help="count what is due; change nothing")
    r.add_argument("--no-kafka", action="store_true", help="do not set the Kafka topics' retention")
    h = cmds.add_parser("hold", help="place, release or list legal holds")
    h.add_argument("--reason", help="why (required to place or release)")
    h.add_argument("--conversation", help="conversation key to hold")
    h.add_argument("--person", action="append", default=[], help="a person's identifier (repeatable)")
    h.add_argument("--from", dest="since", type=_date, help="start of a held date range (ISO date)")
    h.add_argument("--to", dest="until", type=_date, help="end of a held date range (ISO date, exclusive)")
    h.add_argument("--release", metavar="HOLD_ID", help="release this hold")
    h.add_argument("--list", action="store_true", help="list the holds in force")
    s = cmds.add_parser("subject-access", help="export everything about a person")
    s.add_argument("--person", action="append", required=True, help="a person's identifier (repeatable)")
    s.add_argument("--request", required=True, help="the request's reference")
    s.add_argument("--output", required=True, help="directory to write index.html, bundle.json and redactions.json")
    e = cmds.add_parser("erase", help="erase a person's personal data")
    e.add_argument("--person", action="append", required=True, help="a person's identifier (repeatable)")
    e.add_argument("--reason", required=True, help="why (the lawful basis)")
    e.add_argument("--request", required=True, help="the request's reference")
    f = cmds.add_parser("foi-export", help="export correspondence for an FOI disclosure")
    f.add_argument("--from", dest="since", type=_date, required=True, help="first day (ISO date)")
    f.add_argument("--to", dest="until", type=_date, required=True, help="day after the last (ISO date, exclusive)")
    f.add_argument("--account", help="only this official account")
    f.add_argument("--department", help="only this department")
    f.add_argument("--request", required=True, help="the FOI request's reference")
    f.add_argument("--output", required=True, help="directory to write the bundle to")
    return parser


async def _run(args: argparse.Namespace) -> int:
    settings = load_settings()
    client = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname="civic-inbox-records",
                              serverSelectionTimeoutMS=5000)
    store = RecordsStore(client, settings.database)
    actor = {"user_id": args.by, "name": args.by, "role": "admin"}
    now = datetime.now(UTC)
    try:
        await store.ensure_indexes()
        return await _dispatch(args, store, actor, now, settings, client)
    finally:
        await client.close()


class _KafkaUnavailable:
    """The publisher when Kafka could not be reached: every publish fails, so the outbox keeps the record."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __getattr__(self, kind: str):
        async def publish(record) -> None:
            raise ConnectionError(f"Kafka unavailable: {type(self.error).__name__}: {self.error}")
        return publish


@asynccontextmanager
async def _announcer(settings, client: AsyncMongoClient, *, wanted: bool) -> AsyncIterator[OutboxPublisher | None]:
    """Responder's own outbox publisher for what this command announces (see the module's description)."""
    if not wanted:
        yield None
        return
    broker = KafkaBroker(settings.kafka_bootstrap_servers, client_id="civic-inbox-records", acks="all",
                         enable_idempotence=False)
    try:
        await asyncio.wait_for(broker.connect(), timeout=15)
        sender = Publisher(broker)
    except Exception as exc:  # noqa: BLE001 - Kafka down: the outbox keeps what is announced
        sender = _KafkaUnavailable(exc)
    try:
        yield OutboxPublisher(sender, Outbox(client, settings.database))
    finally:
        with contextlib.suppress(Exception):
            await broker.stop()


async def _announced(publisher: OutboxPublisher, entry_id: str) -> str:
    return "queued" if await publisher.outbox.entries.find_one({"_id": entry_id}) else "published"


async def _dispatch(args, store: RecordsStore, actor: dict, now: datetime, settings, client: AsyncMongoClient) -> int:
    wanted = args.command == "erase" or (args.command == "retention" and not args.dry_run)
    async with _announcer(settings, client, wanted=wanted) as publisher:
        return await _command(args, store, actor, now, settings, publisher)


async def _command(args, store: RecordsStore, actor: dict, now: datetime, settings,
                   publisher: OutboxPublisher | None) -> int:
    if args.command == "retention":
        schedule = load_policy(settings.policy_path).records
        run = await retention.run(store, schedule, now=now, dry_run=args.dry_run, actor=actor,
                                  announce=publisher.retention if publisher else None)
        if publisher is not None:
            run["announced"] = await _announced(publisher, f"retention:{run['_id']}")
        if not args.dry_run and not args.no_kafka:
            run["kafka_topics"] = await kafka_topics.set_retention(
                settings.kafka_bootstrap_servers, schedule.topic_hours(list(TOPICS)))
        return _print(run)
    if args.command == "hold":
        if args.list:
            return _print([h.model_dump(mode="json") for h in await store.holds_in_force()])
        if not args.reason:
            raise holds.HoldError("--reason is required")
        if args.release:
            return _print(await holds.release(store, args.release, reason=args.reason, actor=actor, now=now))
        hold = await holds.place(store, reason=args.reason, actor=actor, now=now, conversation_key=args.conversation,
                                 person=args.person, since=args.since, until=args.until)
        return _print(hold.model_dump(mode="json"))
    if args.command == "subject-access":
        found = await subject.subject_access(store, args.person, now=now, actor=actor, request=args.request)
        return _print({"export_id": found["_id"], **found["summary"], "files": [str(p) for p in bundle.write(found, args.output)]})
    if args.command == "erase":
        done = await erasure.erase(store, args.person, reason=args.reason, request=args.request, now=now, actor=actor,
                                   announce=publisher.erased)
        done.pop("renamed")  # the old keys name the person: not printed
        return _print({**done, "announced": await _announced(publisher, f"erased:erase:{args.request}")})
    found = await foi.foi_export(store, since=args.since, until=args.until, now=now, actor=actor, request=args.request,
                                 account=args.account, department=args.department)
    return _print({"export_id": found["_id"], **found["summary"], "files": [str(p) for p in bundle.write(found, args.output)]})


def _print(value) -> int:
    print(json.dumps(value, default=str, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(_run(args))
    except (erasure.ErasureRefused, holds.HoldError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, ValueError, PyMongoError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
