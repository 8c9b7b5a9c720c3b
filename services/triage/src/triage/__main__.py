"""`python -m triage`: run the triage consumer with its health and metrics server."""

import logging

import uvicorn

from triage.config import load_settings
from triage.main import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s triage %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
