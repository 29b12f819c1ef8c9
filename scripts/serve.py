"""A small static server for www/ on 127.0.0.1 only, with the page's security headers.

Python's standard library is enough for a page of a few static files; it sets the strict
Content-Security-Policy the page is built for, the wasm MIME type, and no caching (so a rebuilt
module is always the one served). An HTML file is sent with its own policy (its
<meta http-equiv="Content-Security-Policy">, which allows its inline script and style by their
sha256) plus what only a header can say (frame-ancestors); every other file with CSP below.
"""
import argparse
import functools
import http.server
import os
import re

CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *")
META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def policy(path):
    """The Content-Security-Policy header for the file at `path`."""
    if os.path.isdir(path):
        path = os.path.join(path, "index.html")
    if path.endswith(".html") and os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            meta = META_CSP.search(f.read())
        # A template's placeholder is no policy: it gets the strict one below.
        if meta and "{{" not in meta.group(1):
            return meta.group(1) + "; frame-ancestors *"
    return CSP


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript"}

    def end_headers(self):
        # (A request too malformed to parse has no path: it is answered with the strict policy.)
        path = getattr(self, "path", None)
        self.send_header("Content-Security-Policy", policy(self.translate_path(path)) if path else CSP)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, fmt, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default="www")
    ap.add_argument("--port", type=int, default=8080)
    args = ap.parse_args()
    handler = functools.partial(Handler, directory=args.root)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as httpd:
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        print(f"drawcheck: serving {args.root}/ at {base} (the studio: {base}studio.html; Ctrl-C stops)", flush=True)
        httpd.serve_forever()


if __name__ == "__main__":
    main()
