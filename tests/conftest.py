"""Fixtures shared by every test folder. Integration fixtures start real infrastructure only when a test
that needs it runs."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support.infra import Infra, real_infra  # noqa: E402
from support.system import System, running_system  # noqa: E402


@pytest.fixture(scope="session")
def infra() -> Infra:
    with real_infra() as found:
        yield found


@pytest.fixture(scope="session")
async def system(infra: Infra) -> System:
    async with running_system(infra) as running:
        yield running
