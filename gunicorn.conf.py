"""gunicorn's settings for e-Santunan, read from the working directory by
`gunicorn config.wsgi`. Command-line options still override them."""

from gunicorn.http import wsgi

# No "Server: gunicorn" banner: it tells a scanner which server and which flaws to try.
# gunicorn has no setting for it, so the response's default headers are filtered here
# (an internal of gunicorn: check it after upgrading; tests/config/test_gunicorn.py does).
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _default_headers_without_server
