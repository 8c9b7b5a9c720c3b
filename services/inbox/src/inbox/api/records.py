"""Records management for administrators: legal holds, subject access, erasure, FOI export and the
retention job. Each action is a command on Kafka (answered 202; follow it for the export id or the
refusal); responder carries it out and writes the audit log. Bundles are read back as JSON or as the
printable page."""

from collections.abc import Callable
from typing import Annotated

from civic_contracts.records import (
    ErasureCommand,
    FoiExportCommand,
    RecordsHoldCommand,
    RecordsReleaseHoldCommand,
    RetentionCommand,
    SubjectAccessCommand,
)
from fastapi import APIRouter, Body, HTTPException, Path, Request, status
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from inbox.api.actions import RESPONSES, IdempotencyKey, accepted
from inbox.auth.deps import Admin

router = APIRouter(prefix="/api/records", tags=["records"])
ExportId = Annotated[str, Path(max_length=100, pattern=r"^(sar|foi):[0-9a-f-]{36}$")]
NO_STORE = {"Cache-Control": "no-store"}


def _periods_in_order(body: FoiExportCommand) -> None:
    if body.since >= body.until:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "the period ends before it starts")


def _command_route(path: str, model: type[BaseModel], summary: str,
                   check: Callable[[BaseModel], None] | None = None) -> None:
    """POST `path`: an admin's records command, queued through the inbox's actions and answered 202."""

    async def route(request: Request, principal: Admin, body: Annotated[model, Body()],
                    idempotency_key: IdempotencyKey = None) -> JSONResponse:
        if check is not None:
            check(body)
        return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))

    route.__name__ = "records_" + path.strip("/").replace("/", "_").replace("-", "_")
    router.add_api_route(path, route, methods=["POST"], status_code=202, responses=RESPONSES, summary=summary)


_command_route("/holds", RecordsHoldCommand, "Place a legal hold (admins)")
_command_route("/holds/release", RecordsReleaseHoldCommand, "Release a legal hold (admins)")
_command_route("/subject-access", SubjectAccessCommand, "Make a subject access bundle (admins)")
_command_route("/erasure", ErasureCommand, "Erase a person (admins; refused under hold)")
_command_route("/foi-export", FoiExportCommand, "Make an FOI disclosure bundle (admins)", _periods_in_order)
_command_route("/retention", RetentionCommand, "Apply the retention schedule now (admins)")


@router.get("/holds", summary="Legal holds in force (admins)")
async def holds(request: Request, principal: Admin) -> JSONResponse:
    found = await request.app.state.records_management.holds_in_force()
    items = [{"id": h["_id"], **{k: v for k, v in h.items() if k != "_id"}} for h in found]
    return JSONResponse(_jsonable(items), headers=NO_STORE)


@router.get("/exports/{export_id}", summary="A bundle as JSON (admins)")
async def export(request: Request, principal: Admin, export_id: ExportId) -> JSONResponse:
    found = await _export(request, export_id)
    data = {"id": found["_id"], **{k: v for k, v in found.items() if k not in ("_id", "html")}}
    return JSONResponse(_jsonable(data), headers=NO_STORE)


@router.get("/exports/{export_id}/page", response_class=HTMLResponse, summary="A bundle as a printable page (admins)")
async def export_page(request: Request, principal: Admin, export_id: ExportId) -> HTMLResponse:
    found = await _export(request, export_id)
    # Rendered by responder with every value escaped; served with no scripts allowed at all.
    return HTMLResponse(found.get("html") or "", headers={
        **NO_STORE, "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"})


async def _export(request: Request, export_id: str) -> dict:
    found = await request.app.state.records_management.export(export_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such bundle")
    return found


def _jsonable(value):
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(value)
