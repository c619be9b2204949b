"""The HTTP half of deploy/check.sh: what a browser and a load balancer see through nginx.

    python deploy/check_http.py --http-port 18080 --https-port 18443 --cafile cert.pem \
        --static-root var/static --gunicorn-access-log gunicorn.access.log

Standard library only. Prints each check as it passes ("ok") or fails ("FAIL" and why) and
exits 1 if any failed. TLS is verified against the throwaway certificate (--cafile), not
switched off.
"""

import argparse
import contextlib
import gzip
import http.client
import json
import re
import ssl
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HOST = "localhost"
UPLOAD_BYTES = 30 * 1024 * 1024  # above the application's 20 MB a file
ALLOWED_BYTES = 19 * 1024 * 1024  # below it: must reach the application


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    set_cookies: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """One person's browser: its cookies, sent back to the site that set them."""

    https_port: int
    http_port: int
    context: ssl.SSLContext
    cookies: dict[str, str] = field(default_factory=dict)

    def send(
        self,
        method: str,
        path: str,
        *,
        secure: bool = True,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        cookies: bool = True,
    ) -> Answer:
        if secure:
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                HOST, self.https_port, context=self.context, timeout=60
            )
            port = self.https_port
        else:
            conn = http.client.HTTPConnection(HOST, self.http_port, timeout=60)
            port = self.http_port
        sent = {"Host": f"{HOST}:{port}", "User-Agent": "karnameh-deploy-check"}
        if cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        try:
            # nginx may answer (413) before the whole body is sent: read the answer anyway.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            found = {k.lower(): v for k, v in response.getheaders()}
            set_cookies = response.headers.get_all("Set-Cookie") or []
            for value in set_cookies:
                jar: SimpleCookie = SimpleCookie()
                jar.load(value)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
            return Answer(response.status, found, data, set_cookies)
        finally:
            conn.close()


@dataclass
class Checks:
    failed: list[str] = field(default_factory=list)

    def run(self, title: str, check: Callable[[], str | None]) -> bool:
        try:
            note = check()
        except AssertionError as error:
            print(f"FAIL {title}: {error}", flush=True)
            self.failed.append(title)
            return False
        except OSError as error:
            print(f"FAIL {title}: {type(error).__name__}: {error}", flush=True)
            self.failed.append(title)
            return False
        print(f"ok   {title}" + (f": {note}" if note else ""), flush=True)
        return True


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def hashed_static_file(static_root: Path) -> str:
    """One of the site's own CSS files (not the admin's) under its hashed name (whitenoise's
    manifest), bigger than gzip's minimum: the largest, the stylesheet every page loads."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    found = [
        ((static_root / hashed).stat().st_size, str(hashed))
        for original, hashed in manifest["paths"].items()
        if original.endswith(".css") and not original.startswith("admin/")
    ]
    if found:
        return max(found)[1]
    raise AssertionError("no hashed CSS file in staticfiles.json")


def form_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    expect(found is not None, "the page has no CSRF token in its form")
    assert found is not None
    return found.group(1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--https-port", type=int, required=True)
    parser.add_argument("--cafile", type=Path, required=True)
    parser.add_argument("--static-root", type=Path, required=True)
    parser.add_argument("--gunicorn-access-log", type=Path, required=True)
    args = parser.parse_args()

    context = ssl.create_default_context(cafile=str(args.cafile))
    browser = Browser(args.https_port, args.http_port, context)
    origin = f"https://{HOST}:{args.https_port}"
    checks = Checks()
    static_path = hashed_static_file(args.static_root)

    def redirect() -> str:
        answer = browser.send("GET", "/accounts/login/?next=/", secure=False, cookies=False)
        expect(answer.status == 301, f"http:// answered {answer.status}, not 301")
        target = answer.header("Location")
        expect(target == f"{origin}/accounts/login/?next=/", f"redirected to {target!r}")
        return f"301 → {target}"

    def health() -> str:
        answer = browser.send("GET", "/healthz", cookies=False)
        expect(answer.status == 200, f"answered {answer.status}: {answer.text[:200]}")
        body = json.loads(answer.body)
        expect(
            (body.get("status"), body.get("database"), body.get("cache")) == ("ok", "ok", "ok"),
            f"body {body}",
        )
        expect(answer.header("Cache-Control") == "no-store", "not Cache-Control: no-store")
        expect("set-cookie" not in answer.headers, "it set a cookie")
        return answer.text

    def health_over_http() -> str:
        answer = browser.send("GET", "/healthz", secure=False, cookies=False)
        expect(answer.status == 200, f"answered {answer.status} over plain HTTP")
        return "200 without TLS, for a load balancer's probe"

    def login_page() -> str:
        answer = browser.send("GET", "/accounts/login/")
        expect(answer.status == 200, f"answered {answer.status}")
        hsts = answer.header("Strict-Transport-Security")
        csp = answer.header("Content-Security-Policy")
        expect("max-age=31536000" in hsts and "includeSubDomains" in hsts, f"HSTS {hsts!r}")
        expect("default-src 'self'" in csp and "frame-ancestors 'none'" in csp, f"CSP {csp!r}")
        expect(answer.header("X-Frame-Options") == "DENY", "no X-Frame-Options: DENY")
        expect("csrftoken" in browser.cookies, "no CSRF cookie")
        return f"HSTS {hsts!r}; CSP {csp[:40]!r}…"

    def static_file() -> str:
        answer = browser.send(
            "GET", f"/static/{static_path}", headers={"Accept-Encoding": "gzip"}, cookies=False
        )
        expect(answer.status == 200, f"/static/{static_path} answered {answer.status}")
        caching = answer.header("Cache-Control")
        # whitenoise would say "max-age=315360000, public, immutable": this is nginx's value.
        expect(caching == "public, max-age=31536000, immutable", f"Cache-Control {caching!r}")
        expect(answer.header("Content-Encoding") == "gzip", "not gzip-encoded when asked")
        original = (args.static_root / static_path).read_bytes()
        expect(gzip.decompress(answer.body) == original, "the gzip body is not the file")
        plain = browser.send("GET", f"/static/{static_path}", cookies=False)
        expect(plain.body == original and not plain.header("Content-Encoding"), "plain copy")
        return f"{static_path}: {caching}, gzip {len(answer.body)} of {len(original)} bytes"

    def static_not_through_gunicorn() -> str:
        lines = [json.loads(line) for line in args.gunicorn_access_log.read_text().splitlines()]
        expect(lines != [], "gunicorn's access log is empty")
        expect(
            all(line.get("logger") == "gunicorn.access" for line in lines),
            "gunicorn's access log has lines that are not its JSON access records",
        )
        through = [line["path"] for line in lines if str(line.get("path")).startswith("/static/")]
        expect(through == [], f"gunicorn served static files: {through[:3]}")
        paths = {line["path"] for line in lines}
        expect("/healthz" in paths, "gunicorn's log has no /healthz line")
        return f"{len(lines)} JSON access lines from gunicorn, none for /static/"

    def portal_micro_cache() -> str:
        first = browser.send("GET", "/public/", cookies=False)
        second = browser.send("GET", "/public/", cookies=False)
        expect(first.status == 200, f"/public/ answered {first.status}")
        expect(second.status == 200, f"/public/ answered {second.status} the second time")
        states = (first.header("X-Cache-Status"), second.header("X-Cache-Status"))
        expect(states[1] == "HIT", f"X-Cache-Status {states}, not a HIT the second time")
        expect(first.body == second.body, "the cached page differs from the first")
        return f"X-Cache-Status {states[0]} then {states[1]}"

    def sign_in() -> str:
        page = browser.send("GET", "/accounts/login/")
        token = form_token(page.text)
        form = urlencode(
            {"csrfmiddlewaretoken": token, "username": "agency", "password": "demo", "next": ""}
        ).encode()
        answer = browser.send(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}/accounts/login/",
            },
        )
        expect(answer.status == 302, f"sign-in answered {answer.status}: {answer.text[:300]}")
        expect("sessionid" in browser.cookies, "no session cookie after signing in")
        cookie = next(c for c in answer.set_cookies if c.startswith("sessionid="))
        expect("Secure" in cookie and "HttpOnly" in cookie, f"session cookie {cookie!r}")
        return f"302 → {answer.header('Location')}, session cookie Secure and HttpOnly"

    def workspace() -> str:
        mine = browser.send("GET", "/assessments/mine/")
        expect(mine.status == 200, f"/assessments/mine/ answered {mine.status}")
        links = re.findall(r'href="(/assessments/\d+/AR-ED/)"', mine.text)
        expect(links != [], "no link to the education directorate's workspace")
        answer = browser.send("GET", links[0])
        expect(answer.status == 200, f"{links[0]} answered {answer.status}")
        expect("no-store" in answer.header("Cache-Control"), "a signed-in page may be stored")
        return f"{links[0]} 200"

    def portal_signed_in() -> str:
        answer = browser.send("GET", "/public/")
        state = answer.header("X-Cache-Status")
        expect(answer.status == 200 and state == "BYPASS", f"{answer.status}, {state!r}")
        return "signed in: X-Cache-Status BYPASS"

    def post_bytes(size: int) -> Answer:
        return browser.send(
            "POST",
            "/accounts/login/",
            body=b"0" * size,
            headers={"Content-Type": "application/octet-stream", "Referer": f"{origin}/"},
            cookies=False,
        )

    def too_big() -> str:
        answer = post_bytes(UPLOAD_BYTES)
        expect(answer.status == 413, f"a 30 MB body answered {answer.status}, not 413")
        expect("بزرگ‌تر از حد مجاز" in answer.text, "413 without the Persian page")
        return "30 MB refused by nginx with 413 and the Persian page"

    def big_enough() -> str:
        answer = post_bytes(ALLOWED_BYTES)
        expect(answer.status not in (413, 502, 504), f"a 19 MB body answered {answer.status}")
        return f"19 MB passed nginx to the application ({answer.status}: its CSRF refusal)"

    def media_not_served() -> str:
        answer = browser.send("GET", "/media/uploads/x", cookies=False)
        expect(answer.status == 404, f"/media/ answered {answer.status}")
        return "404 from nginx"

    checks.run("http:// redirects to https://", redirect)
    checks.run("https://…/healthz through nginx", health)
    checks.run("http://…/healthz for load balancers", health_over_http)
    checks.run("login page with the application's security headers", login_page)
    checks.run("static file served by nginx, cached a year, gzip", static_file)
    checks.run("portal micro-cache: the second request is a HIT", portal_micro_cache)
    if checks.run("sign in as agency/«demo» over https (CSRF, Referer)", sign_in):
        checks.run("the agency's workspace page", workspace)
        checks.run("the portal is not cached for a signed-in person", portal_signed_in)
    checks.run("upload over the limit refused by nginx", too_big)
    checks.run("upload under the limit reaches the application", big_enough)
    checks.run("uploaded files are not served by nginx", media_not_served)
    checks.run("static files never reached gunicorn; its log is JSON", static_not_through_gunicorn)
    if checks.failed:
        print(f"{len(checks.failed)} check(s) failed: {', '.join(checks.failed)}", flush=True)
        return 1
    print("every check passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
