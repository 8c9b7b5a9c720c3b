"""`python -m triage`: run the triage consumer with its health and metrics server."""

import logging

from civic_eventing import serve

from triage.config import load_settings
from triage.main import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s triage %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    serve(create_app(settings), host=settings.host, port=settings.port, name="triage")


if __name__ == "__main__":
    main()
