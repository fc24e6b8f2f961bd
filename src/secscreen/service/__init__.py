"""The HTTP edge of secscreen: the CMS pre-publish hook (``/v1``) and the reviewers' web page.

It sits outside the pipeline's stage packages (they never import it) and converts errors once, in
``service.errors``. Modules by area:

    config.py     ServiceConfig: paths, limits, pool size
    keys.py       the server secret ($SECSCREEN_HOME/service.key, 0600)
    receipts.py   HMAC-signed receipts over sha256, verdict, rule-set version and audit id
    tokens.py     bearer tokens (only their sha256 is stored) and roles
    auth.py       who is calling: bearer header for /v1, signed session cookie + CSRF for the web page
    worker.py     extraction and matching in worker processes, bounded, with a time budget
    screening.py  screen -> audit -> result; redaction; audit-record views
    api.py        /v1 routes;  web.py  the HTML pages;  errors.py  one exception handler
    app.py        create_app()
"""

from .app import create_app
from .config import ServiceConfig

__all__ = ["ServiceConfig", "create_app"]
