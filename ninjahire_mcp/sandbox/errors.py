"""Errors the emulator answers with, rendered as the API's `{"message": ...}` bodies."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ApiError(Exception):
    """An error response: raised anywhere below a route, turned into JSON by `render_api_error`."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, object]:
        return {"message": self.message}


class BadRequest(ApiError):
    status_code = 400


class NotFound(ApiError):
    status_code = 404

    @classmethod
    def resource(cls, kind: str, identifier: str) -> NotFound:
        return cls(f"{kind} {identifier} not found")


class Conflict(ApiError):
    status_code = 409


class ValidationFailed(ApiError):
    """422 with one entry per offending field, so a caller can fix them all in one go."""

    status_code = 422

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("Validation failed")
        self.errors = errors

    def body(self) -> dict[str, object]:
        return {
            "message": self.message,
            "errors": [{"field": error.field, "message": error.message} for error in self.errors],
        }


async def render_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body(), status_code=exc.status_code)


async def render_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 (unknown route) and 405 (wrong method), in the API's JSON shape."""
    assert isinstance(exc, HTTPException)
    return JSONResponse({"message": exc.detail}, status_code=exc.status_code, headers=exc.headers)
