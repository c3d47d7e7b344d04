"""Serve a built site on 127.0.0.1 for Lighthouse, as it is (like `python -m http.server`) or
gzip-compressed (Content-Encoding: gzip, as GitHub Pages and CDNs serve text files).

    python -m benchmarks.static_server --port 8123 --directory site/ [--gzip]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os

COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
GZIP_LEVEL = 6  # what nginx and CDNs typically use


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.endswith(COMPRESSED) \
                or not os.path.isfile(path):
            super().do_GET()
            return
        with open(path, "rb") as source:
            body = gzip.compress(source.read(), GZIP_LEVEL)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class QuietGzipHandler(GzipHandler, QuietHandler):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--directory", required=True)
    parser.add_argument("--gzip", action="store_true")
    args = parser.parse_args()
    handler = functools.partial(QuietGzipHandler if args.gzip else QuietHandler, directory=args.directory)
    http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler).serve_forever()


if __name__ == "__main__":
    main()
