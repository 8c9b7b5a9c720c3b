"""The dashboard (to be filled in)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
