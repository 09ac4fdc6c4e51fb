"""Page furniture as artifacts: the running header and the page numbers are not part of the text.

WeasyPrint (its PDF/UA variant) tags the page's content for screen readers but leaves the text of
the page margins (the running title, "side 2 af 4") as marked content of structure elements that
hang outside the document's structure tree. PDF/UA wants such furniture marked as artifacts, so a
screen reader does not read the title and page number on every page. :func:`mark_page_furniture`
does that after printing: every marked-content sequence whose structure element is not reachable
from the structure tree's root becomes ``/Artifact <</Type /Pagination>>``, and its entry in the
parent tree is emptied. The file is updated incrementally (the original bytes stay, the changed
objects are appended), which keeps it small; /Lang, the title, the tags and the outline are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["mark_page_furniture"]

_MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def mark_page_furniture(path: str | Path) -> int:
    """Mark the page margins' text of a tagged PDF as pagination artifacts; return how many were marked."""
    from pypdf import PdfWriter
    from pypdf.generic import IndirectObject, NullObject

    writer = PdfWriter(str(path), incremental=True)
    tree = writer._root_object.get("/StructTreeRoot")
    if tree is None:
        return 0
    tree = tree.get_object()
    nums = tree["/ParentTree"].get_object().get("/Nums", [])
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums) - 1, 2)}
    linked = _linked(tree)
    marked = 0
    for page in writer.pages:
        key = page.get("/StructParents")
        elements = parents.get(int(key)) if key is not None else None
        if not elements:
            continue
        furniture = {
            mcid for mcid, ref in enumerate(elements) if isinstance(ref, IndirectObject) and ref.idnum not in linked
        }
        if not furniture:
            continue
        contents = page["/Contents"].get_object()
        streams = [s.get_object() for s in contents] if isinstance(contents, list) else [contents]
        for stream in streams:
            data = stream.get_data()
            new = _MARKED.sub(lambda m, f=frozenset(furniture): _ARTIFACT if int(m.group(2)) in f else m.group(0), data)
            if new != data:
                stream.set_data(new)
        page.compress_content_streams()
        for mcid in furniture:
            elements[mcid] = NullObject()
        marked += len(furniture)
    if marked:
        writer.write(str(path))
    return marked


def _linked(tree) -> set[int]:
    """Return the object numbers of every structure element reachable from the root through /K."""
    from pypdf.generic import IndirectObject

    seen: set[int] = set()
    todo = [tree.get("/K")]
    while todo:
        kid = todo.pop()
        if isinstance(kid, list):
            todo.extend(kid)
            continue
        if isinstance(kid, IndirectObject):
            if kid.idnum in seen:
                continue
            seen.add(kid.idnum)
        node = kid.get_object() if kid is not None else None
        if hasattr(node, "get") and "/K" in node:
            todo.append(node["/K"])
    return seen
