"""``create_app(config)``: the FastAPI application (API under ``/v1``, web page at ``/``)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from ..audit import open_store
from ..errors import SecscreenError
from ..rules import compile_ruleset, load_ruleset
from . import api, auth, errors, files, keys, web
from .auth import state
from .config import ServiceConfig
from .state import ServiceState
from .tokens import Role, TokenInfo, TokenStore
from .worker import ScreeningPool

log = logging.getLogger("secscreen.service")
HERE = Path(__file__).parent


def build_state(config: ServiceConfig) -> ServiceState:
    compiled = compile_ruleset(load_ruleset(config.rule_dirs), config.settings.cache_dir)
    pool = ScreeningPool(compiled, config.rule_dirs, str(config.settings.cache_dir), workers=config.workers,
                         queue=config.queue, hard_timeout=config.hard_timeout)
    files.tighten(config.owned_files())
    return ServiceState(config=config, key=keys.load_or_create(config.key_path),
                        tokens=TokenStore(config.tokens_db, clock=config.clock), store=open_store(config.audit_db),
                        compiled=compiled, pool=pool)


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    """The app for ``config`` (rule set compiled, stores opened, secret created now; workers at startup)."""
    config = config or ServiceConfig()
    service = build_state(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await service.pool.start()
        log.info("secscreen service ready: rule set %s, %d worker(s)", service.compiled.version, config.workers)
        try:
            yield
        finally:
            service.close()

    app = FastAPI(title="secscreen", summary="政府网站发布前保密审查服务", version="1", lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = service
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _meta_routes(app)
    for exc_class in (SecscreenError, HTTPException, RequestValidationError):
        app.add_exception_handler(exc_class, errors.handle)
    app.add_middleware(errors.BodyLimit, max_bytes=config.max_request_bytes)
    app.add_middleware(errors.RequestContext)
    return app


def _meta_routes(app: FastAPI) -> None:
    @app.get("/healthz", include_in_schema=False)
    async def healthz(request: Request) -> JSONResponse:
        """Health for load balancers and monitoring; no token. Says whether the audit store answers and the
        worker pool is usable (503 if not), nothing about why: the reason is in the service log."""
        service = state(request)
        checks = {"audit": service.store.healthy(), "workers": service.pool.healthy()}
        for name, ok in checks.items():
            if not ok:
                log.error("health check: %s unavailable", name)
        ok = all(checks.values())
        body = {"status": "ok" if ok else "unavailable", "ruleset": service.compiled.version,
                **{name: "ok" if good else "unavailable" for name, good in checks.items()}}
        return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(_: Annotated[TokenInfo, Depends(auth.bearer(*Role))]) -> dict[str, Any]:
        return app.openapi()
