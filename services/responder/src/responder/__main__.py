"""`python -m responder`: run the responder consumers with their health and metrics server."""

import logging

from civic_eventing import serve

from responder.config import load_settings
from responder.main import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s responder %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    serve(create_app(settings), host=settings.host, port=settings.port, name="responder")


if __name__ == "__main__":
    main()
