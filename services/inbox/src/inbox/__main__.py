"""`python -m inbox`: run the inbox API."""

import logging

from civic_eventing import serve

from inbox.config import load_settings
from inbox.main import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s inbox %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    # People reach `port`; metrics only `internal_port`.
    serve(create_app(settings), host=settings.host, port=settings.port, name="inbox",
          internal=(settings.internal_host, settings.internal_port))


if __name__ == "__main__":
    main()
