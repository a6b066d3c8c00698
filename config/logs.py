"""Logs as one JSON object per line, each carrying the id of the request it belongs to,
and a last guard that keeps NIKs, KK numbers and phone numbers out of them.

The request id comes from the proxy's X-Request-ID when it looks like one (nginx sets it
from $request_id, see deploy/nginx/), else it is generated here; it is returned in the
response's X-Request-ID header, so a person reporting a problem can quote it and an
operator can find every line of that request, in the application's log and gunicorn's.

Logged paths never carry the query string: searches put names and NIKs there."""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy or load balancer sends (nginx: 32 hex digits; others UUIDs): anything
# else, which could be a forged line break or a very long value, is replaced.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

# The request being served by this thread: id, method and path for every line it logs.
_request: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "esantunan_request", default=None
)

# 16 digits, alone or grouped by spaces, dots or dashes: a NIK, a KK number or a card.
SIXTEEN_DIGITS = re.compile(r"(?<![\d])\d(?:[ .-]?\d){15}(?![\d])")
# Indonesian mobile numbers as people write them: 08…, 628…, +62 8…, with separators.
PHONE = re.compile(r"(?<![\d+])(?:\+62|62|0)[ .-]?8\d{1,2}(?:[ .-]?\d){6,9}(?![\d])")
MASKED_NUMBER = "[nomor disamarkan]"
MASKED_PHONE = "[telepon disamarkan]"


def mask_personal_data(text: str) -> str:
    """The text with 16-digit numbers and phone numbers replaced by a placeholder."""
    return PHONE.sub(MASKED_PHONE, SIXTEEN_DIGITS.sub(MASKED_NUMBER, text))


class PersonalDataFilter(logging.Filter):
    """A safety net on every handler: code must not log personal data in the first
    place, but a library's message or an exception's text might carry some."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True


class ForeignHostFilter(logging.Filter):
    """On django.security.DisallowedHost: a request for a host name this installation
    does not serve (a scanner, a misdirected proxy) is refused with a 400 and said once,
    as a warning without a traceback. Django logs it as an error with its stack, which
    let anyone fill the error log at will; the host name in the message is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, and the request's id, method, path (and, on the
    line that closes a request, status and duration in milliseconds)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_request.get() or {})
        for name in ("status", "duration_ms"):
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = mask_personal_data(record.exc_text)
        return json.dumps(line, ensure_ascii=False)


request_logger = logging.getLogger("esantunan.request")


class RequestIdMiddleware:
    """First in MIDDLEWARE: gives the request its id, logs one line when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = _request.set(
            {"request_id": request.request_id, "method": request.method, "path": request.path}
        )
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            request_logger.info(
                "request",
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request.reset(token)
