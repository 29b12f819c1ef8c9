"""Writes the borrower's page as one HTML file, from www/page.template.html with www/style.css and the
page's scripts inlined, and a Content-Security-Policy that allows exactly those inline script and
style by their sha256 (never 'unsafe-inline'). Two kinds:

  python3 scripts/pages.py page            www/index.html: the served page; the wasm module stays a
                                           file of its own (www/pkg/drawcheck_bg.wasm, preloaded,
                                           whose glue it inlines)
  python3 scripts/pages.py single [PKG]    dist/drawcheck.html: the offline single file, the wasm
                                           module in base64 and the host bridge inlined too

PKG is the wasm-bindgen output the single file inlines (default www/pkg).

Why one file: every request the page makes before its first verdict costs a round trip through
the browser's processes, and the module's glue and www/main.js arriving as files of their own held
the wasm module's compile back until they had (www/tests/bench.mjs measures the time to the first
verdict).
"""
import base64
import hashlib
import re
import sys
from pathlib import Path

WWW = Path(__file__).resolve().parent.parent / "www"


def read(path):
    return Path(path).read_text(encoding="utf-8")


def as_function(code, exports):
    """An ES module's code as an expression that runs it and gives its exports (a tiny bundler for
    the modules here, which use `export function|class|const|let` and `export { a as b }` lists
    and import nothing)."""
    code = re.sub(r"^export \{[^}]*\};?\s*$", "", code, flags=re.M)
    code = re.sub(r"^export (?=(async )?(function|class|const|let) )", "", code, flags=re.M)
    if re.search(r"^\s*(export|import)\b", code, flags=re.M):
        sys.exit("pages.py: a module has an import or export this script does not handle")
    return "(() => {\n" + code + "\nreturn { " + ", ".join(exports) + " };\n})()"


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def script(pkg, kind):
    """The page's one inline module script: the glue, www/main.js, and the call that starts them."""
    glue = as_function(read(f"{pkg}/drawcheck.js"), ["Engine", "mountPage", "showProfile", "defaultPackText", "default: __wbg_init"])
    main = as_function(read(WWW / "main.js"), ["start"])
    parts = ["// drawcheck's page (scripts/pages.py): the module's glue (pkg/drawcheck.js), then www/main.js.",
             f"const glue = {glue};", f"const main = {main};"]
    if kind == "page":
        parts.append("await main.start(glue, { wasm: new URL('pkg/drawcheck_bg.wasm', document.baseURI), "
                     "bridge: () => import('./bridge.js'), hosted: false });")
    else:
        wasm = base64.b64encode(Path(f"{pkg}/drawcheck_bg.wasm").read_bytes()).decode("ascii")
        parts += [f"const bridge = {as_function(read(WWW / 'bridge.js'), ['start', 'VERSION'])};",
                  f'const WASM = "{wasm}";',
                  "const bytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64(WASM) : Uint8Array.from(atob(WASM), (c) => c.charCodeAt(0));",
                  "await main.start(glue, { wasm: bytes, bridge: async () => bridge, hosted: true });"]
    return "\n" + "\n".join(parts) + "\n"


def page(pkg, kind):
    style, code = read(WWW / "style.css"), script(pkg, kind)
    if "</script" in code.lower() or "</style" in style.lower():
        sys.exit("pages.py: an inlined file would close its own <script> or <style> element")
    if kind == "page":
        # script-src 'self': bridge.js, which the page imports only when embedded; connect-src 'self'
        # and 'wasm-unsafe-eval': the module, fetched from pkg/ and compiled.
        csp = (f"default-src 'none'; script-src 'self' {sha256(code)} 'wasm-unsafe-eval'; style-src {sha256(style)}; "
               "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'")
    else:
        csp = f"default-src 'none'; script-src {sha256(code)} 'wasm-unsafe-eval'; style-src {sha256(style)}; base-uri 'none'; form-action 'none'"
    html = read(WWW / "page.template.html")
    if kind == "single":
        html = re.sub(r"<link [^>]*>\n", "", html)  # the single file refers to no other file
    html = re.sub(r"<!-- The page's HTML\..*?-->\n", "", html, flags=re.S)
    html = html.replace("<!doctype html>\n", "<!doctype html>\n<!-- Written by scripts/pages.py from www/page.template.html: edit that. -->\n", 1)
    for key, value in (("csp", csp), ("style", style), ("script", code)):
        if "{{" + key + "}}" not in html:
            sys.exit(f"pages.py: www/page.template.html has no {{{{{key}}}}}")
        html = html.replace("{{" + key + "}}", value, 1)
    return html


def main():
    # The served page loads pkg/drawcheck_bg.wasm, so it inlines www/pkg's glue and no other.
    args = sys.argv[1:]
    if not (args == ["page"] or (args[:1] == ["single"] and len(args) <= 2)):
        sys.exit(__doc__)
    kind, pkg = args[0], (args[1] if len(args) == 2 else str(WWW / "pkg"))
    out = WWW / "index.html" if kind == "page" else WWW.parent / "dist" / "drawcheck.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page(pkg, kind), encoding="utf-8")


if __name__ == "__main__":
    main()
