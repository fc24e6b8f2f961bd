"""``secscreen serve`` (the HTTP service) and ``secscreen tokens`` (its access tokens)."""

from __future__ import annotations

import click

from ..service.tokens import DEFAULT_EXPIRY_DAYS, ROLE_LABELS, Role, TokenInfo, TokenStore
from . import common


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=8080, show_default=True, type=int, help="监听端口。")
@common.rules_option
@common.audit_option
@click.option("--workers", default=2, show_default=True, type=click.IntRange(0, 64),
              help="解析文件的工作进程数（0 表示在服务进程内解析，仅用于测试）。")
@click.option("--queue", default=8, show_default=True, type=click.IntRange(0, 1000),
              help="工作进程全忙时允许排队的文件数；再多则返回 503。")
@click.option("--max-upload-mb", default=64, show_default=True, type=click.IntRange(1, 1024), help="请求大小上限（MB），超过返回 413。")
@click.option("--timeout", "document_seconds", default=30.0, show_default=True, type=click.FloatRange(1, 3600),
              help="单个文件的审查时限（秒）；超时结论为需人工审核。")
@click.option("--isolate/--no-isolate", "isolate", default=True, show_default=True,
              help="每个文件在单独的子进程中解析（超时只终止该文件）；关闭可提高吞吐量，超时则重启工作进程。")
@click.option("--secure-cookies", is_flag=True, help="经 HTTPS 提供服务时为 Cookie 加 Secure 标志。")
@click.option("--session-idle-minutes", default=30, show_default=True, type=click.IntRange(1, 24 * 60),
              help="网页登录闲置超过该分钟数即失效，需重新登录。")
def serve(host: str, port: int, rule_dirs: tuple[str, ...], audit_db: str | None, workers: int, queue: int,
          max_upload_mb: int, document_seconds: float, isolate: bool, secure_cookies: bool,
          session_idle_minutes: int) -> None:
    """启动 HTTP 服务：内容管理系统发布前调用的接口（/v1）与审核员网页（/）。"""
    import os
    from pathlib import Path

    import uvicorn

    from ..service import ServiceConfig, create_app

    path = audit_db or os.environ.get(common.ENV_AUDIT)
    config = ServiceConfig(settings=common.settings(), rule_dirs=rule_dirs, audit_path=Path(path) if path else None,
                           workers=workers, queue=queue, max_request_bytes=max_upload_mb * 1024 * 1024,
                           document_seconds=document_seconds, isolate_extraction=isolate,
                           secure_cookies=secure_cookies, session_idle_seconds=session_idle_minutes * 60)
    app = create_app(config)
    click.echo(f"secscreen 服务：http://{host}:{port}/ （规则集 {app.state.service.compiled.version}）", err=True)
    store = app.state.service.tokens
    if not any(t.live(store.now()) for t in store.all()):
        click.echo("提示：尚无有效令牌，请先运行 secscreen tokens create --role cms --name 门户网站CMS", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=True, server_header=False)


@click.group()
def tokens() -> None:
    """HTTP 服务的访问令牌：创建、列表、吊销（只保存令牌的哈希）。"""


def _store() -> TokenStore:
    return TokenStore(common.settings().home / "tokens.sqlite3")


@tokens.command("create")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]),
              help="cms 提交审查；reviewer 审核；officer 保密员（规则、改判）；auditor 审计。")
@click.option("--name", required=True, help="令牌名称，记入审计，如 门户网站CMS、张三。")
@click.option("--expires-days", type=click.IntRange(0, 3650), default=None,
              help="有效天数；0 表示永不过期。默认：cms 永不过期，reviewer/officer/auditor 90 天。")
def create(role: str, name: str, expires_days: int | None) -> None:
    """创建令牌并只显示这一次（请立即妥善保存）。"""
    days = DEFAULT_EXPIRY_DAYS[Role(role)] if expires_days is None else (expires_days or None)
    info, secret = _store().create(name, Role(role), expires_days=days)
    click.echo(secret)
    until = f"有效期至 {info.expires_at}" if info.expires_at else "永不过期"
    click.echo(f"已创建令牌 {info.id}：{info.name}（{ROLE_LABELS[info.role]}），{until}。令牌只显示这一次。", err=True)


@tokens.command("list")
def list_tokens() -> None:
    """列出令牌（不含令牌本身）：编号、角色、创建时间、状态、有效期、最近使用、名称。"""
    store = _store()
    for info in store.all():
        expiry = f"至 {info.expires_at}" if info.expires_at else "永不过期"
        used = f"最近使用 {info.last_used_at}" if info.last_used_at else "未使用"
        click.echo(f"{info.id}  {info.role.value:<8}  {info.created_at}  {_state(info, store.now())}  {expiry}  "
                   f"{used}  {info.name}")


def _state(info: TokenInfo, now: float) -> str:
    if info.revoked_at:
        return f"已吊销 {info.revoked_at}"
    return "已过期" if info.expired(now) else "有效"


@tokens.command("revoke")
@click.argument("id_or_name")
def revoke(id_or_name: str) -> None:
    """吊销令牌（按编号或名称）；已登录的网页会话随之失效。"""
    revoked = _store().revoke(id_or_name)
    if not revoked:
        from ..errors import ConfigError

        raise ConfigError(f"没有有效的令牌：{id_or_name}")
    for info in revoked:
        click.echo(f"已吊销 {info.id}：{info.name}")
