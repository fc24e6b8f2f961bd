"""The reviewers' page in headless Chromium (Debian's package, driven by Playwright; no browser download).

A real ``secscreen serve`` is started on 127.0.0.1 at a free port with its own SECSCREEN_HOME.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from secscreen.extract import extractor_for, sniff
from secscreen.service.tokens import Role, TokenStore

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MARKING = "机密★10年"

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def marked_docx() -> tuple[str, bytes]:
    """A DOCX with a classification marking in its first line, or a .txt if DOCX is not read yet."""
    docx_type = getattr(sniff, "DOCX", None)
    if docx_type is None or extractor_for(docx_type) is None:
        return "marked-notice.txt", f"关于某事项的通知\n{MARKING}\n各单位：现将有关事项通知如下。".encode()
    import docx

    document = docx.Document()
    document.add_paragraph("关于某事项的通知")
    document.add_paragraph(MARKING)
    document.add_paragraph("各单位：现将有关事项通知如下。")
    buffer = io.BytesIO()
    document.save(buffer)
    return "marked-notice.docx", buffer.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    home = tmp_path_factory.mktemp("browser-home")
    store = TokenStore(home / "tokens.sqlite3")
    tokens = {role.value: store.create(f"{role.value}-浏览器", role)[1] for role in (Role.REVIEWER, Role.AUDITOR)}
    store.close()
    port = free_port()
    env = {**os.environ, "SECSCREEN_HOME": str(home)}
    env.pop("SECSCREEN_AUDIT_DB", None)
    command = [sys.executable, "-c", "from secscreen.cli import main; main()", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", "1"]
    log = (home / "server.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, tokens
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"secscreen serve exited with status {process.returncode}; see its log")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError("secscreen serve did not come up within 90 s")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def log_in(page: object, base: str, token: str) -> None:
    page.goto(f"{base}/login")  # type: ignore[attr-defined]
    page.get_by_label("访问令牌").fill(token)  # type: ignore[attr-defined]
    page.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]
    page.wait_for_url(lambda url: not url.endswith("/login"))  # type: ignore[attr-defined]


def upload(page: object, base: str, path: Path) -> None:
    page.goto(f"{base}/")  # type: ignore[attr-defined]
    page.get_by_label("文件（TXT、HTML、DOCX、PDF 等）").set_input_files(str(path))  # type: ignore[attr-defined]
    page.get_by_role("button", name="审查").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/screenings/*")  # type: ignore[attr-defined]


def test_review_workflow_in_the_browser(server: tuple[str, dict[str, str]], browser: object,
                                        tmp_path: Path) -> None:
    base, tokens = server
    expect = sync_api.expect
    page = browser.new_page()  # type: ignore[attr-defined]
    log_in(page, base, tokens["reviewer"])

    name, data = marked_docx()
    marked = tmp_path / name
    marked.write_bytes(data)
    upload(page, base, marked)
    expect(page.locator("#verdict")).to_have_text("禁止发布")
    expect(page.locator(".finding mark").first).to_have_text(MARKING)
    expect(page.locator(".finding").first).to_contain_text("保守国家秘密法")

    draft = tmp_path / "draft.txt"
    draft.write_text("关于做好有关工作的通知\n（此件发至县级）\n各单位：请认真执行。", encoding="utf-8")
    upload(page, base, draft)
    expect(page.locator("#verdict")).to_have_text("需人工审核")
    page.get_by_label("理由（必填，记入审计）").fill("附注已失效，同意公开")
    page.get_by_role("button", name="批准发布").click()
    expect(page.locator("#status")).to_have_text("已批准发布")
    page.get_by_role("button", name="退出").click()

    log_in(page, base, tokens["auditor"])
    page.goto(f"{base}/audit")
    decision_row = page.locator("tr.kind-decision").first
    expect(decision_row).to_contain_text("附注已失效，同意公开")
    expect(decision_row).to_contain_text("reviewer-浏览器")
    page.get_by_role("button", name="校验哈希链").click()
    expect(page.locator("#verify-result")).to_contain_text("审计链完整")
    page.close()
