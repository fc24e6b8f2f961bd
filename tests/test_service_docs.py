"""docs/integration.md cannot drift: its endpoints exist, its client compiles, its serve options exist."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from fastapi.routing import APIRoute

from secscreen.cli import cli
from secscreen.service import api

DOC = (Path(__file__).resolve().parents[1] / "docs" / "integration.md").read_text(encoding="utf-8")


def test_every_api_route_is_documented_and_every_documented_path_exists() -> None:
    routes = {_shape(route.path) for route in api.router.routes if isinstance(route, APIRoute)}
    documented = {_shape(path) for path in re.findall(r"`(/v1/[^`]*)`", DOC)}
    assert routes <= documented, f"undocumented: {routes - documented}"
    assert documented <= routes, f"documented but missing: {documented - routes}"


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_python_client_example_compiles() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC, re.S)
    assert blocks
    for block in blocks:
        compile(block, "integration.md", "exec")


def test_documented_serve_options_exist() -> None:
    help_text = CliRunner().invoke(cli, ["serve", "--help"]).output
    for option in re.findall(r"\| `(--[a-z-]+)", DOC):
        assert option in help_text, option
