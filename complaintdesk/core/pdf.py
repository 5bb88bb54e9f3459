"""HTML → PDF with embedded Chinese glyphs (WeasyPrint + the system's Noto CJK fonts).

One function for every app: render a template to a string (the same print templates the browser
shows), then ``html_to_pdf(html)``. WeasyPrint lays out with Pango and finds fonts through
fontconfig, so the CSS ``font-family: "Noto Serif CJK SC", "Noto Sans CJK SC"`` of the print
templates selects the Debian package ``fonts-noto-cjk``; only the glyphs used are embedded
(subset), so any reader shows the right characters. Why WeasyPrint and not reportlab:
docs/pdf.md (measured).
"""

from __future__ import annotations

import logging

# WeasyPrint logs every layout step at INFO; a server printing many documents does not need that.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_CONTENT_TYPE = "application/pdf"
# Chinese faces in the order we want them; a template may name its own first.
CJK_FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif'
_BASE_CSS = f"@page {{ size: A4; margin: 15mm; }} html {{ font-family: {CJK_FONTS}; }}"


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of an HTML document (print media rules apply; A4 with 15 mm margins unless the
    document's own ``@page`` says otherwise). Relative URLs resolve against ``base_url``; nothing
    is fetched over the network unless the document links it."""
    import weasyprint  # heavy (Pango, cffi); only the processes that print pay for loading it

    document = weasyprint.HTML(string=html, base_url=base_url)
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=_BASE_CSS)])
