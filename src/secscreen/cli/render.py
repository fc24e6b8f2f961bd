"""Human-readable rendering of a result for reviewers (Chinese)."""

from __future__ import annotations

from ..models import Finding, Location, ScanResult, Verdict

VERDICT_LABELS = {Verdict.PASS: "通过 pass", Verdict.REVIEW: "需人工审核 review", Verdict.BLOCK: "禁止发布 block"}
ACTION_LABELS = {"block": "禁止", "review": "审核", "info": "提示"}
PART_LABELS = {
    "body": "正文", "title": "标题", "table": "表格", "header": "页眉", "footer": "页脚", "textbox": "文本框",
    "footnote": "脚注", "endnote": "尾注", "comment": "批注", "revision-inserted": "修订（插入）",
    "revision-deleted": "修订（删除）", "metadata": "文件属性", "hidden": "隐藏内容", "attribute": "属性文字",
    "annotation": "PDF 注释", "notes": "备注", "sheet-name": "工作表名", "filename": "文件名", "image-ocr": "图片识别",
}


def where(location: Location) -> str:
    parts = []
    if location.path and "!" in location.path:
        parts.append(location.path)
    parts.append(PART_LABELS.get(location.part.value, location.part.value))
    if location.name:
        parts.append(f"“{location.name}”")
    if location.page is not None:
        parts.append(f"第{location.page}页")
    if location.line is not None:
        parts.append(f"第{location.line}行")
    return " ".join(parts)


def one_line(text: str) -> str:
    """Matched text on one line: a wrapped table cell's line breaks shown as ⏎."""
    return text.replace("\r", "").replace("\n", "⏎")


def finding_lines(finding: Finding) -> list[str]:
    lines = [
        f"  [{ACTION_LABELS[finding.action.value]}] {finding.rule_id} {finding.title}：“{one_line(finding.matched)}”  （{where(finding.location)}）",
        f"      上下文：{finding.snippet}",
    ]
    if finding.why:
        lines.append(f"      判定：{finding.why}")
    lines.append(f"      依据：{finding.rationale}")
    return lines


def result_text(result: ScanResult) -> str:
    head = f"{VERDICT_LABELS[result.verdict]}  {result.path}"
    info = f"  格式 {result.media_type}；SHA-256 {result.sha256[:16]}…；规则集 {result.ruleset.version}；审计编号 {result.audit_id}"
    lines = [head, info]
    for issue in result.issues:
        lines.append(f"  [问题] {issue.code}：{issue.message}" + (f"（{issue.path}）" if issue.path and "!" in issue.path else ""))
    for finding in result.findings:
        lines.extend(finding_lines(finding))
    return "\n".join(lines)
