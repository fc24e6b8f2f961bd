"""ZIP archives: every member screened as a document of its own, under the parent's limits.

The central directory is checked before anything is inflated (``zipguard``): too many members, too
many bytes once inflated or a bomb-like compression ratio stop the archive with ``limit-exceeded``
and nothing is read. Members are then read one at a time with a byte cap and handed to
``ctx.recurse``, which names them ``outer.zip!inner/a.docx`` and enforces the depth limit. An
encrypted member gives ``encrypted`` for that member; the others are still read. Member names stored
in GBK without the UTF-8 flag (Chinese Windows archivers) are decoded as GBK, so file-name rules see them.
"""

from __future__ import annotations

from ..errors import ExtractionError
from ..models import Document
from . import issues, sniff
from .base import ExtractContext
from .zipguard import is_encrypted, member_name, open_zip, read_member


class ZipExtractor:
    name = "zip"
    media_types = (sniff.ZIP,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        document = Document(media_type=sniff.ZIP)
        with open_zip(data, ctx) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                ctx.check_time()
                name = member_name(info)
                if is_encrypted(info):
                    document.issues.append(issues.issue(issues.ENCRYPTED, name, path=f"{ctx.path}!{name}"))
                    continue
                try:
                    member = read_member(archive, info, ctx)
                except ExtractionError as error:
                    if error.code == issues.TIMEOUT:
                        raise
                    document.issues.append(issues.issue(error.code, str(error), path=f"{ctx.path}!{name}"))
                    continue
                if ctx.recurse is None:
                    raise ExtractionError("无法递归读取压缩包成员", code=issues.UNSUPPORTED_FORMAT)
                child = ctx.recurse(member, name, ctx)
                document.segments += child.segments
                document.issues += child.issues
        if not document.segments and not document.issues:
            document.issues.append(issues.issue(issues.EMPTY, "压缩包内没有文件", path=ctx.path))
        return document
