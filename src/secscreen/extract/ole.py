"""OLE compound files (.doc/.xls/.ppt/.wps/.et and password-protected OOXML): not read, but told apart.

A password-protected DOCX/XLSX/PPTX is not a zip: Office wraps the encrypted package in an OLE
container with an ``EncryptedPackage`` stream. That gets ``encrypted``, so a reviewer knows a
password is needed; every other OLE file is a legacy binary format we do not read
(``unsupported-format``).
"""

from __future__ import annotations

from ..models import Document
from . import issues, sniff
from .base import ExtractContext

_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


class OleExtractor:
    name = "ole"
    media_types = (sniff.OLE,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        if _ENCRYPTED_STREAM in data:
            found = issues.issue(issues.ENCRYPTED, "设有打开密码的 Office 文档", path=ctx.path)
        else:
            found = issues.issue(issues.UNSUPPORTED_FORMAT, "旧版 Office/WPS 二进制格式（.doc/.xls/.ppt/.wps/.et）",
                                 path=ctx.path)
        return Document(media_type=sniff.OLE, issues=[found])
