"""The application `rejoinder serve` runs: Django's WSGI app behind the buffering front."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")
django_app = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after Django is set up

from rejoinder.config.front import Front, FrontLimits  # noqa: E402
from rejoinder.live.hub import Hub  # noqa: E402
from rejoinder.live.streams import Streams  # noqa: E402
from rejoinder.request_identity import client_address  # noqa: E402

_live = settings.REJOINDER

application = Front(
    django_app,
    FrontLimits(
        threads=settings.REJOINDER["THREADS"],
        per_address=settings.REJOINDER["REQUESTS_PER_ADDRESS"],
        body_seconds=settings.REJOINDER["BODY_TIMEOUT_SECONDS"],
        max_body=settings.REJOINDER["MAX_UPLOAD_BYTES"],
        streams_per_address=settings.REJOINDER["STREAMS_PER_ADDRESS"],
    ),
    client_address,
    Streams(
        Hub(_live["LIVE_POLL_SECONDS"], _live["REDIS_URL"]),
        heartbeat=_live["LIVE_HEARTBEAT_SECONDS"],
        max_streams=_live["MAX_STREAMS"],
    ),
)
