"""The PDF is tagged PDF/UA with the page furniture (running header, page numbers) as artifacts."""

from __future__ import annotations

import re

from pypdf import PdfReader

from analysis.pipeline.export import export_html, html_to_pdf
from analysis.pipeline.pdfua import _linked


def _page(n_pages: int = 3) -> str:
    import nbformat

    nb = nbformat.v4.new_notebook()
    body = "".join(f"<h2>Afsnit {k}</h2>" + "<p>Tekst om indkøb. </p>" * 60 for k in range(n_pages))
    nb.cells.append(
        nbformat.v4.new_code_cell(
            outputs=[nbformat.v4.new_output("display_data", data={"text/html": body, "text/plain": ""})]
        )
    )
    return export_html(nb, lang="da", title="Prøvedokument")


def test_headers_and_footers_are_artifacts_and_the_text_stays_tagged(tmp_path):
    path = html_to_pdf(_page(), tmp_path / "doc.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) >= 3
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Prøvedokument"
    tree = root["/StructTreeRoot"].get_object()
    nums = tree["/ParentTree"].get_object()["/Nums"]
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    linked = _linked(tree)
    for number, page in enumerate(reader.pages, 1):
        content = page.get_contents().get_data()
        artifacts = content.count(b"/Artifact <</Type /Pagination>> BDC")
        # Page 1: the page number; later pages also the running title.
        assert artifacts >= (1 if number == 1 else 2), number
        # Every marked sequence left is a structure element of the document's tree.
        elements = parents[int(page["/StructParents"])]
        for mcid in map(int, re.findall(rb"<<\s*/MCID\s+(\d+)\s*>>\s*BDC", content)):
            assert elements[mcid].idnum in linked
    # The page number is still printed (an artifact is drawn, only not read aloud).
    assert "side 2 af" in reader.pages[1].extract_text()
    assert "Afsnit 1" in "".join(p.extract_text() for p in reader.pages)
