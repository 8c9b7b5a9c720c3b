"""`python -m connectors`: run the webhook server."""

import logging

from civic_eventing import serve

from connectors.config import load_settings
from connectors.main import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s connectors %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    # Platforms and citizens reach `port`; metrics, channel health and the API description only `internal_port`.
    serve(create_app(settings), host=settings.host, port=settings.port, name="connectors",
          internal=(settings.internal_host, settings.internal_port), access_log=settings.access_log)


if __name__ == "__main__":
    main()
