"""The parts of the policy other services show people (canned responses, official accounts, business hours,
SLA targets), written to `responder_policy` at start-up so the inbox API can list them without reading
responder's files."""

from datetime import UTC, datetime

from pymongo import AsyncMongoClient

from responder.domain.policy import Policy


async def publish_policy(client: AsyncMongoClient, database: str, policy: Policy) -> None:
    doc = policy.model_dump(mode="json", include={"organisation", "phone", "business_hours", "sla", "accounts",
                                                  "canned_responses", "assignment", "approval"})
    doc["updated_at"] = datetime.now(UTC)
    await client[database]["responder_policy"].replace_one({"_id": "current"}, doc, upsert=True)
