"""Load rule packs from directories, validate them strictly, layer site packs over the defaults.

Errors name the file, the line and the field (``RuleFileError``). The rule set's version is the
sha256 of its canonical content, so any change (a keyword, an action, a disabled rule) changes it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import RuleFileError
from .schema import Pack, Rule, Status

ENV_RULES = "SECSCREEN_RULES"


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    pack: str
    file: str
    changes: tuple[str, ...] = ()


@dataclass
class RuleSet:
    """The effective rules after layering, in load order, with the packs they came from."""

    rules: list[LoadedRule]
    sources: list[str]
    disabled: dict[str, str] = field(default_factory=dict)
    sha256: str = ""

    @property
    def version(self) -> str:
        return self.sha256[:12]

    def active(self) -> list[Rule]:
        return [loaded.rule for loaded in self.rules if loaded.rule.status is not Status.DEPRECATED]

    def get(self, rule_id: str) -> LoadedRule | None:
        return next((loaded for loaded in self.rules if loaded.rule.id == rule_id), None)


def default_rules_dir() -> Path:
    """The packs shipped with secscreen (``rules/`` in the source tree, packaged into the wheel)."""
    packaged = resources.files("secscreen") / "default_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


def rule_dirs(extra: list[str] | tuple[str, ...] = (), *, with_defaults: bool = True) -> list[Path]:
    dirs = [default_rules_dir()] if with_defaults else []
    env = os.environ.get(ENV_RULES, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    dirs += [Path(p) for p in extra]
    return dirs


def _pack_files(directory: Path) -> list[Path]:
    if directory.is_file():
        return [directory]
    if not directory.is_dir():
        raise RuleFileError(str(directory), None, None, "规则目录不存在")
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping key and sequence item, by path."""


def _load_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RuleFileError(str(path), mark.line + 1 if mark else None, None, f"YAML 语法错误：{error}") from error
    lines: dict[tuple[Any, ...], int] = {}
    _index_lines(node, (), lines)
    data = yaml.load(text, Loader=yaml.SafeLoader)
    return data, lines


def _index_lines(node: yaml.Node | None, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    if node is None:
        return
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            lines[child] = key.start_mark.line + 1
            _index_lines(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), lines)


def _line_for(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    path = tuple(part for part in loc if not (isinstance(part, str) and ("[" in part or part in ("str", "Example"))))
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def load_pack(path: Path) -> Pack:
    data, lines = _load_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(str(path), 1, None, "规则包必须是一个映射（schema_version、pack、rules …）")
    try:
        return Pack.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        field_name = ".".join(str(p) for p in loc) or None
        reason = first["msg"]
        if first["type"] == "extra_forbidden":
            reason = f"未知字段（可能是拼写错误）：{loc[-1]}"
        elif first["type"] == "missing":
            reason = f"缺少必填字段：{loc[-1]}"
        raise RuleFileError(str(path), _line_for(loc, lines), field_name, reason) from error


def load_ruleset(extra_dirs: list[str] | tuple[str, ...] = (), *, with_defaults: bool = True) -> RuleSet:
    """Load the default packs, then each extra directory in order. Later packs win."""
    ordered: dict[str, LoadedRule] = {}
    disabled: dict[str, str] = {}
    sources: list[str] = []
    for directory in rule_dirs(extra_dirs, with_defaults=with_defaults):
        for path in _pack_files(directory):
            pack = load_pack(path)
            sources.append(str(path))
            _apply_pack(pack, path, ordered, disabled)
    for rule_id in disabled:
        ordered.pop(rule_id, None)
    ruleset = RuleSet(rules=list(ordered.values()), sources=sources, disabled=disabled)
    ruleset.sha256 = ruleset_digest(ruleset)
    return ruleset


def _apply_pack(pack: Pack, path: Path, ordered: dict[str, LoadedRule], disabled: dict[str, str]) -> None:
    seen: set[str] = set()
    for index, rule in enumerate(pack.rules):
        if rule.id in seen:
            raise RuleFileError(str(path), None, f"rules.{index}.id", f"规则编号重复：{rule.id}")
        seen.add(rule.id)
        changes = ("替换同编号规则",) if rule.id in ordered else ()
        ordered[rule.id] = LoadedRule(rule=rule, pack=pack.pack, file=str(path), changes=changes)
        disabled.pop(rule.id, None)
    for rule_id in pack.disable:
        if rule_id not in ordered:
            raise RuleFileError(str(path), None, "disable", f"要停用的规则不存在：{rule_id}")
        disabled[rule_id] = pack.pack
    for rule_id, change in pack.modify.items():
        loaded = ordered.get(rule_id)
        if loaded is None:
            raise RuleFileError(str(path), None, f"modify.{rule_id}", f"要修改的规则不存在：{rule_id}")
        update: dict[str, Any] = {}
        notes = list(loaded.changes)
        if change.action is not None:
            update["action"] = change.action
            notes.append(f"{pack.pack}: 处置改为 {change.action.value}")
        if change.status is not None:
            update["status"] = change.status
            notes.append(f"{pack.pack}: 状态改为 {change.status.value}")
        if change.add_keywords:
            update["keywords"] = [*loaded.rule.keywords, *change.add_keywords]
            notes.append(f"{pack.pack}: 增加关键词 {len(change.add_keywords)} 个")
        rule = loaded.rule.model_copy(update=update)
        ordered[rule_id] = LoadedRule(rule=Rule.model_validate(rule.model_dump()), pack=loaded.pack,
                                      file=loaded.file, changes=tuple(notes))


def ruleset_digest(ruleset: RuleSet) -> str:
    canonical = [loaded.rule.model_dump(mode="json") for loaded in ruleset.rules]
    blob = json.dumps({"rules": canonical, "disabled": sorted(ruleset.disabled)}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
