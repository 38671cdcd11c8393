"""An in-memory emulator of the Ninjahire API, written from its documentation, with seeded data.

Serve it with any ASGI server (`uvicorn.run(create_app(), ...)`) or reach it in-process through an
ASGI transport. It never imports our client: a misunderstanding of the API must not hide on both sides.
"""

from .app import SANDBOX_API_KEY, create_app
from .faults import FAULTS_PATH, Fault, FaultPlan, FaultSpecError, TimedASGITransport, parse_faults
from .store import Emulator, RecordedRequest
from .webhook_push import WebhookPusher, background

__all__ = [
    "FAULTS_PATH",
    "SANDBOX_API_KEY",
    "Emulator",
    "Fault",
    "FaultPlan",
    "FaultSpecError",
    "RecordedRequest",
    "TimedASGITransport",
    "WebhookPusher",
    "background",
    "create_app",
    "parse_faults",
]
