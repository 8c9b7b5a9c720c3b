"""`python -m connectors`: run the webhook server."""

import logging

from civic_eventing import serve

from connectors.config import load_settings
from connectors.main import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s connectors %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    serve(create_app(settings), host=settings.host, port=settings.port, name="connectors")


if __name__ == "__main__":
    main()
