"""`python -m sandbox`: the stand-in platforms on 127.0.0.1:8090."""

import logging

import uvicorn

from sandbox.app import create_app
from sandbox.config import load_settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s sandbox %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
