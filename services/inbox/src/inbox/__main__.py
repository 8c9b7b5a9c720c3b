"""`python -m inbox`: run the inbox API."""

import logging

import uvicorn

from inbox.config import load_settings
from inbox.main import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s inbox %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


if __name__ == "__main__":
    main()
