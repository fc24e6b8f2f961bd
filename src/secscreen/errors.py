"""One exception tree for secscreen. Errors are converted once, at each edge (CLI, HTTP).

    SecscreenError                 base; never reaches a user as a traceback
    ├── ConfigError                usage or configuration is wrong       exit 2   HTTP 500 (server) / 400
    │   └── RuleFileError          a rule pack is invalid (file, line, field)   exit 2
    ├── ExtractionError            a file could not be read              -> verdict review, never pass
    │   ├── LimitExceeded          size, time, depth or ratio limit hit  -> issue ``limit-exceeded``
    │   └── UnsupportedFormat      no extractor for this media type      -> issue ``unsupported-format``
    ├── AuditError                 the audit record could not be written -> no verdict; exit 4, HTTP 503
    └── AuthError                  missing or bad token / wrong role     HTTP 401 / 403

Extraction errors never escape ``pipeline.screen``: they become ``ExtractionIssue`` records, so the
document gets ``review``. An audit error always escapes: a verdict without its record is not given.
"""

from __future__ import annotations


class SecscreenError(Exception):
    """Base of every error secscreen raises on purpose."""

    exit_code = 2
    http_status = 500
    code = "error"


class ConfigError(SecscreenError):
    """Usage or configuration is wrong. Exit status 2."""

    code = "config-error"


class RuleFileError(ConfigError):
    """A rule pack is invalid. The message names file, line and field."""

    code = "rule-file-invalid"

    def __init__(self, file: str, line: int | None, field: str | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        where = f"{file}:{line}" if line else file
        what = f" 字段 {field}" if field else ""
        super().__init__(f"{where}:{what} {reason}".replace(": ", ": ", 1))


class ExtractionError(SecscreenError):
    """A file could not be (fully) read. Becomes an issue with ``code`` and a review verdict."""

    code = "unreadable"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class LimitExceeded(ExtractionError):
    code = "limit-exceeded"


class UnsupportedFormat(ExtractionError):
    code = "unsupported-format"


class AuditError(SecscreenError):
    """The audit trail could not be written or read. No verdict is given."""

    exit_code = 4
    http_status = 503
    code = "audit-unavailable"


class AuthError(SecscreenError):
    http_status = 401
    code = "unauthorized"


class ForbiddenError(AuthError):
    http_status = 403
    code = "forbidden"
