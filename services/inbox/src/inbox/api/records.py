"""Records management for administrators: legal holds, subject access, erasure, FOI export and the
retention job. Each action is a command on Kafka (answered 202; follow it for the export id or the
refusal); responder carries it out and writes the audit log. Bundles are read back as JSON or as the
printable page."""

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

from inbox.api.actions import RESPONSES, IdempotencyKey, accepted
from inbox.auth.deps import Admin

router = APIRouter(prefix="/api/records", tags=["records"])
ExportId = Annotated[str, Path(max_length=100, pattern=r"^(sar|foi):[0-9a-f-]{36}$")]
NO_STORE = {"Cache-Control": "no-store"}


@router.post("/holds", status_code=202, responses=RESPONSES, summary="Place a legal hold (admins)")
async def place_hold(request: Request, principal: Admin, body: Annotated[RecordsHoldCommand, Body()],
                     idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


@router.post("/holds/release", status_code=202, responses=RESPONSES, summary="Release a legal hold (admins)")
async def release_hold(request: Request, principal: Admin, body: Annotated[RecordsReleaseHoldCommand, Body()],
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


@router.get("/holds", summary="Legal holds in force (admins)")
async def holds(request: Request, principal: Admin) -> JSONResponse:
    found = await request.app.state.records_management.holds_in_force()
    items = [{"id": h["_id"], **{k: v for k, v in h.items() if k != "_id"}} for h in found]
    return JSONResponse(_jsonable(items), headers=NO_STORE)


@router.post("/subject-access", status_code=202, responses=RESPONSES, summary="Make a subject access bundle (admins)")
async def subject_access(request: Request, principal: Admin, body: Annotated[SubjectAccessCommand, Body()],
                         idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


@router.post("/erasure", status_code=202, responses=RESPONSES, summary="Erase a person (admins; refused under hold)")
async def erasure(request: Request, principal: Admin, body: Annotated[ErasureCommand, Body()],
                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


@router.post("/foi-export", status_code=202, responses=RESPONSES, summary="Make an FOI disclosure bundle (admins)")
async def foi_export(request: Request, principal: Admin, body: Annotated[FoiExportCommand, Body()],
                     idempotency_key: IdempotencyKey = None) -> JSONResponse:
    if body.since >= body.until:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "the period ends before it starts")
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


@router.post("/retention", status_code=202, responses=RESPONSES, summary="Apply the retention schedule now (admins)")
async def retention(request: Request, principal: Admin, body: Annotated[RetentionCommand, Body()],
                    idempotency_key: IdempotencyKey = None) -> JSONResponse:
    return accepted(await request.app.state.actions.staff_wide(principal, body, idempotency_key=idempotency_key))


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
