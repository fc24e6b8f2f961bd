"""The ``secscreen`` command. Errors are converted once, here: a message and an exit status.

Exit status: 0 all passed; 1 at least one block; 3 at least one review and none blocked;
2 usage or configuration error; 4 the audit trail could not be written (no verdict given).
"""

from __future__ import annotations

import logging
import sys

import click

from ..errors import SecscreenError
from .audit_cmd import audit
from .common import EXIT_USAGE
from .eval_cmd import eval_
from .rules_cmd import rules
from .scan import scan


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SecscreenError as error:
            click.echo(f"错误：{error}", err=True)
            sys.exit(error.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="secscreen")
@click.option("-v", "--verbose", is_flag=True, help="输出调试日志（不含文档内容）。")
def cli(verbose: bool) -> None:
    """secscreen：政府网站发布前保密审查（涉密信息不上网，上网信息不涉密）。"""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


cli.add_command(scan)
cli.add_command(rules)
cli.add_command(audit)
cli.add_command(eval_)

COMMANDS = ("scan", "rules", "audit")


def _register_optional() -> None:
    try:
        from .serve_cmd import serve, tokens
    except ImportError:
        return
    cli.add_command(serve)
    cli.add_command(tokens)


def _register_review() -> None:
    try:
        from .review_cmd import review
    except ImportError:
        return
    cli.add_command(review)


_register_optional()
_register_review()


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except click.exceptions.UsageError as error:  # pragma: no cover - click handles these itself
        error.show()
        sys.exit(EXIT_USAGE)
