"""`python -m notifier`: run the notifier (Kafka consumers, escalation clock, acknowledgement pages)."""

import logging

from civic_eventing import serve

from notifier.config import load_settings
from notifier.main import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s notifier %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    serve(create_app(settings), host=settings.host, port=settings.port, name="notifier")


if __name__ == "__main__":
    main()
