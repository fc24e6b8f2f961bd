"""Stable extraction issue codes. They are written into the audit trail: add codes, never rename them.

Every issue raises the verdict to at least ``review``: whatever could not be read was not screened.
"""

from __future__ import annotations

from ..models import Action, ExtractionIssue

UNSUPPORTED_FORMAT = "unsupported-format"
UNREADABLE = "unreadable"
ENCRYPTED = "encrypted"
IMAGE_ONLY_PAGE = "image-only-page"
IMAGE_CONTENT = "image-content"
LIMIT_EXCEEDED = "limit-exceeded"
TIMEOUT = "timeout"
EMPTY = "empty"
TYPE_MISMATCH = "type-mismatch"
ENCODING_UNCERTAIN = "encoding-uncertain"
PART_UNREADABLE = "part-unreadable"
INTERNAL_ERROR = "internal-error"
OCR_TEXT = "ocr-text"

#: code -> (default action, Chinese explanation for reviewers)
CATALOG: dict[str, tuple[Action, str]] = {
    UNSUPPORTED_FORMAT: (Action.REVIEW, "不支持的文件格式，内容未经检查，需人工审核"),
    UNREADABLE: (Action.REVIEW, "文件损坏或无法解析，内容未经检查，需人工审核"),
    ENCRYPTED: (Action.REVIEW, "文件已加密或设有密码，内容未经检查，需人工审核"),
    IMAGE_ONLY_PAGE: (Action.REVIEW, "页面仅含图片（扫描件），文字未经识别，需人工审核"),
    IMAGE_CONTENT: (Action.REVIEW, "文件含有未识别的图片内容，需人工审核"),
    LIMIT_EXCEEDED: (Action.REVIEW, "文件超出大小、层数或压缩比限制，未完整检查，需人工审核"),
    TIMEOUT: (Action.REVIEW, "解析超时，内容未完整检查，需人工审核"),
    EMPTY: (Action.REVIEW, "文件为空或未读出任何文字，需人工审核"),
    TYPE_MISMATCH: (Action.INFO, "文件扩展名与实际格式不符"),
    ENCODING_UNCERTAIN: (Action.REVIEW, "无法可靠识别文本编码，内容可能未正确读取，需人工审核"),
    PART_UNREADABLE: (Action.REVIEW, "文件的部分内容无法读取，需人工审核"),
    INTERNAL_ERROR: (Action.REVIEW, "检查过程中发生内部错误，需人工审核"),
    OCR_TEXT: (Action.REVIEW, "页面为扫描图像，文字经图像识别（OCR）读取，可能有误，需人工核对"),
}


def issue(code: str, detail: str = "", *, path: str | None = None, pages: list[int] | None = None) -> ExtractionIssue:
    """Build an issue with the catalogue's action and message, plus an optional detail."""
    action, message = CATALOG.get(code, (Action.REVIEW, code))
    if detail:
        message = f"{message}（{detail}）"
    return ExtractionIssue(code=code, message=message, action=action, path=path, pages=pages or [])
