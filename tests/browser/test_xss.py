"""Hostile input through every form: a corpus of XSS vectors goes into every field of every admin
form two people can reach (the Sở's admin and a school's head of the editorial board), into
uploaded spreadsheets and file names, into the contact form and into every public query
parameter. Then every page that shows a marker is read twice: parsed for anything executable
that carries it (a tag, an event handler, a javascript: URL, a script body), and loaded in
Chromium with alert/confirm/prompt trapped and the CSP's refusals read from the console.

It runs its own demo server (EDUPORTAL_BIN, a fresh data folder) because it changes a lot.
"""
import html
import html.parser
import http.client
import io
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from xml.etree import ElementTree

import pytest
from selenium.common.exceptions import TimeoutException

PASSWORD = "EduPortal@2026"
SO = "localhost"
SCHOOL = "thpt-chu-van-an.localhost"

# {m} is the marker, unique per vector: xss1, xss2, … Anything executable that carries it is a find.
CORPUS = [
    "<script>alert('{m}')</script>",
    "\"><script>alert('{m}')</script>",
    "'><img src=x onerror=alert('{m}')>",
    "<img src=x onerror=alert('{m}')>",
    "<svg onload=alert('{m}')>",
    "<svg><script>alert('{m}')</script></svg>",
    "javascript:alert('{m}')",
    "<a href=\"javascript:alert('{m}')\">{m}</a>",
    "<a href=\"jav&#x09;ascript:alert('{m}')\">{m}</a>",
    "<iframe src=\"javascript:alert('{m}')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('{m}')</script>\"></iframe>",
    "<body onload=alert('{m}')>",
    "<details open ontoggle=alert('{m}')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('{m}')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('{m}')>\">",
    "</textarea><script>alert('{m}')</script>",
    "</title><script>alert('{m}')</script>",
    "</style><script>alert('{m}')</script>",
    "<style>@import 'javascript:alert(\"{m}\")';</style>",
    "<div style=\"background:url(javascript:alert('{m}'))\">{m}</div>",
    "<div style=\"width:expression(alert('{m}'))\">{m}</div>",
    "{{{{{m}}}}} {{{{{{{m}}}}}}} <%= {m} %> ${{{m}}}",
    "<object data=\"javascript:alert('{m}')\"></object>",
    "<embed src=\"data:text/html,<script>alert('{m}')</script>\">",
    "<base href=\"javascript:alert('{m}')//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('{m}')\">",
    "<form action=\"javascript:alert('{m}')\"><button>{m}</button></form>",
    "<button formaction=\"javascript:alert('{m}')\">{m}</button>",
    "<input autofocus onfocus=alert('{m}')>",
    "<{m} onclick=alert(1)>{m}</{m}>",
    "\" onmouseover=\"alert('{m}')\" x=\"",
    "' onmouseover='alert(`{m}`)' x='",
    "`\"'><img src=x onerror=alert('{m}')>",
    "<IMG SRC=JaVaScRiPt:alert('{m}')>",
    "<img src=\"x\" onerror=\"&#97;lert('{m}')\">",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('{m}')\">{m}</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">{m}</a>",
    "<scr<script>ipt>alert('{m}')</scr</script>ipt>",
    "<<script>alert('{m}');//<</script>",
    "<img \"\"\"><script>alert('{m}')</script>\">",
    "\\u003cscript\\u003ealert('{m}')\\u003c/script\\u003e",
    "</script><script>alert('{m}')</script>",
    "<!--<img src=\"--><img src=x onerror=alert('{m}')//\">",
    "<svg><a xlink:href=\"javascript:alert('{m}')\"><text x=\"20\" y=\"20\">{m}</text></a></svg>",
    "<video><source onerror=\"alert('{m}')\"></video>",
    "<audio src=x onerror=alert('{m}')>",
    "<marquee onstart=alert('{m}')>{m}</marquee>",
    "\uff1cscript\uff1ealert('{m}')\uff1c/script\uff1e",
    "<\u017fcript>alert('{m}')</script>",
    "Trường <b>THPT</b> & \"Chu Văn An\" '{m}'",
    "%3Cscript%3Ealert('{m}')%3C/script%3E",
    "&lt;script&gt;alert('{m}')&lt;/script&gt;",
    "<a href=\"  javascript:alert('{m}')\">{m}</a>",
    "<a href=\"java\nscript:alert('{m}')\">{m}</a>",
    "<img src=x:alert(alt) onerror=eval(src) alt='{m}'>",
    "<template><script>alert('{m}')</script></template>",
    "<select><template><img src=x onerror=alert('{m}')></template></select>",
    "<svg><style><img src=x onerror=alert('{m}')></style></svg>",
    "<table><td background=\"javascript:alert('{m}')\">{m}</td></table>",
    "<p>Đoạn văn</p><img src=\"/static/x.png\" alt=\"{m}\" onerror=\"alert('{m}')\">",
]
PAYLOADS = [vector.format(m=f"xss{index}") for index, vector in enumerate(CORPUS, 1)]
MARKER = re.compile(r"xss\d+", re.I)

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "cite", "ping", "srcset"}
NEVER = {"iframe", "frame", "object", "embed", "applet", "base"}
# Whose submission would end the crawl's own session or lock it out.
SKIPPED_ACTIONS = ("dang-xuat", "mat-khau", "xac-thuc-hai-buoc", "khoa-tai-khoan", "thu-hoi-quyen", "dat-lai-mat-khau", "/xoa")
# Read but never submitted: moving, merging or dissolving would end or move the very units the crawl
# reads (the form takes no text, only a choice and a box; UnitChangeTests covers it).
SKIPPED_POSTS = SKIPPED_ACTIONS + ("thay-doi-to-chuc",)


class Findings(html.parser.HTMLParser):
    """Anything executable in a page: our own pages carry no inline script, handler or
    javascript: URL at all, so any of them is a find; a tag or attribute named by a marker too."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.in_script = False
        self.forms = []
        self.links = []

    def flag(self, what):
        self.found.append(what)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if MARKER.search(tag):
            self.flag(f"<{tag}> element from input")
        if tag in NEVER:
            self.flag(f"<{tag}> element")
        if tag == "script":
            # JSON-LD is data, not code: it must parse as JSON whole (a break-out would cut it short).
            self.in_script = "data" if (attributes.get("type") or "").lower() in ("application/ld+json", "application/json") else "code"
            self.script_text = ""
            source = attributes.get("src")
            if self.in_script == "code" and not (source or "").startswith("/static/"):
                self.flag(f"<script src={source!r}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.flag("<meta http-equiv=refresh>")
        for name, value in attrs:
            value = value or ""
            if MARKER.search(name):
                self.flag(f"attribute {name!r} on <{tag}> from input")
            if name.startswith("on"):
                self.flag(f"{name}={value!r} on <{tag}>")
            if name == "srcdoc":
                self.flag(f"srcdoc on <{tag}>")
            if name in URL_ATTRIBUTES:
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squeezed.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.flag(f"{name}={value!r} on <{tag}>")
            if name == "style" and re.search(r"expression\(|javascript:|url\(", value, re.I):
                self.flag(f"style={value!r} on <{tag}>")
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "", "method": (attributes.get("method") or "get").lower(),
                               "enctype": attributes.get("enctype") or "", "fields": [], "buttons": [], "selects": {}})
        elif self.forms and tag in ("input", "textarea", "select", "button", "option"):
            form = self.forms[-1]
            if tag == "option":
                if form.get("open_select") and "value" in attributes:
                    form["selects"].setdefault(form["open_select"], []).append((attributes["value"], "selected" in attributes))
            elif tag == "select":
                form["open_select"] = attributes.get("name")
            elif tag == "button" or (tag == "input" and attributes.get("type") == "submit"):
                if (attributes.get("type") or "submit") == "submit":
                    form["buttons"].append((attributes.get("name"), attributes.get("value") or "", attributes.get("formaction")))
            elif attributes.get("name"):
                form["fields"].append((tag, attributes.get("type") or ("textarea" if tag == "textarea" else "text"),
                                       attributes["name"], attributes.get("value") or "", "checked" in attributes,
                                       attributes.get("accept") or ""))
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            if self.in_script == "data":
                try:
                    json.loads(self.script_text)
                except ValueError:
                    self.flag(f"JSON-LD that does not parse: {self.script_text[:120]!r}")
            self.in_script = False
        if tag == "select" and self.forms:
            self.forms[-1]["open_select"] = None

    def handle_data(self, data):
        if self.in_script == "data":
            self.script_text += data
        elif self.in_script and data.strip():
            self.flag(f"inline script {data.strip()[:80]!r}")


def parse(body):
    parser = Findings()
    parser.feed(body)
    parser.close()
    return parser


class Client:
    """HTTP to 127.0.0.1 with a Host header and cookies, redirects followed by hand."""

    def __init__(self, port, host):
        self.port, self.host, self.cookies = port, host, {}
        # The last response's type: only HTML is parsed and loaded in the browser; a download
        # (CSV, XLSX) must come as an attachment with nosniff, which is checked instead.
        self.last_type, self.last_headers = "", {}

    def request(self, method, path, body=None, content_type=None, follow=True):
        for _ in range(6):
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "xss-corpus"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if body is not None:
                headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
                headers["Origin"] = f"http://{self.host}:{self.port}"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read().decode("utf-8", "replace")
            self.last_type = response.getheader("Content-Type") or ""
            self.last_headers = {k.lower(): v for k, v in response.getheaders()}
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";")[0]
            location = response.getheader("Location")
            connection.close()
            if follow and location and response.status in (301, 302, 303, 307):
                parsed = urllib.parse.urlsplit(location)
                if parsed.hostname and parsed.hostname != self.host.split(":")[0]:
                    return response.status, data, location
                method, body, path = "GET", None, parsed.path + ("?" + parsed.query if parsed.query else "")
                continue
            return response.status, data, path
        raise AssertionError(f"too many redirects from {path}")

    def get(self, path):
        return self.request("GET", path)

    def login(self, email):
        status, page, _ = self.get("/quan-tri/dang-nhap")
        token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"_csrf": token, "email": email, "password": PASSWORD})
        status, page, path = self.request("POST", "/quan-tri/dang-nhap", body)
        assert "/dang-nhap" not in path, f"{email} could not log in: {status} {page[:500]}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    binary = os.environ.get("EDUPORTAL_BIN")
    if not binary or not os.access(binary, os.X_OK):
        pytest.fail("EDUPORTAL_BIN does not name the eduportal binary: run these checks through scripts/test")
    folder = tempfile.mkdtemp(prefix="eduportal-xss-")
    port = free_port()
    log = open(os.path.join(folder, "server.log"), "w")
    process = subprocess.Popen([binary, "demo", "--data", os.path.join(folder, "data"), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, "EDUPORTAL_LOOKUP_PORT": "0",
                                    "EDUPORTAL_MAIL_POLICY_PORT": "0", "EDUPORTAL_WORKER": "0", "EDUPORTAL_LOOKUP_RATE_LIMIT": "100000"})
    try:
        for _ in range(600):
            if process.poll() is not None:
                pytest.fail("the demo server for the XSS corpus stopped: " + open(log.name).read()[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the demo server for the XSS corpus did not start in 300 s")
        yield port
    finally:
        process.terminate()
        process.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


def xlsx(rows):
    import openpyxl
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload_for(action, field, accept, payload):
    """A file for a file field: a spreadsheet whose every text cell is hostile for the importers,
    otherwise a real PNG or PDF under a hostile name."""
    name = payload.replace("/", "\u2215")[:120]
    if "ky-thi" in action:
        return "ket-qua.xlsx", xlsx([["SBD", "Họ và tên", "Ngày sinh", "Giới tính", "Hội đồng thi", payload[:60], "Toán", "Ghi chú"],
                                     ["279901", "Nguyễn Văn An", "01/02/2011", "Nam", payload, "7.5", "8", payload],
                                     ["279902", payload, "02/03/2011", "Nữ", "THPT Chu Văn An", "6", "7", ""]])
    if "van-bang" in action:
        return "van-bang.xlsx", xlsx([["Số hiệu", "Số vào sổ", "Họ và tên", "Ngày sinh", "Loại văn bằng", "Năm tốt nghiệp", "Xếp loại", "Cơ quan cấp"],
                                      ["NB9999901", "VS01", "Trần Văn Bình", "01/01/2007", payload, "2025", payload, payload],
                                      ["NB9999902", "VS02", payload, "01/01/2007", "Bằng tốt nghiệp THPT", "2025", "Khá", "Sở GD&ĐT"]])
    if "nhap-danh-sach" in action:
        return "nhan-su.xlsx", xlsx([["Họ tên", "Chức vụ", "Bộ phận", "Email mong muốn"],
                                     ["Lê Văn Cường", payload, payload, "lecuong.xss"], [payload, "Giáo viên", "Tổ Toán", payload]])
    if "image" in accept or action.endswith("/tep"):
        return name + ".png", PNG
    return name + ".pdf", PDF


def submissions(form, payload, unit_domain, action):
    """The form filled twice: every text field hostile; and typed fields valid (so that something
    is stored) with the hostile text in the rest."""
    filled = any(kind not in ("hidden", "checkbox", "radio") for _, kind, *_ in form["fields"])
    for valid_types in (False, True) if filled else (True,):
        fields, files, dates = [], [], 0
        for tag, kind, name, value, checked, accept in form["fields"]:
            if kind == "hidden":
                fields.append((name, value))
            elif kind in ("checkbox", "radio"):
                if checked or (valid_types and kind == "checkbox"):
                    fields.append((name, value or "on"))
            elif kind == "file":
                files.append((name,) + upload_for(action, name, accept, payload))
            elif valid_types and name.endswith("At"):
                fields.append((name, ""))  # a moment left empty: now, never expiring
            elif valid_types and kind == "email":
                fields.append((name, f"x{uuid.uuid4().hex[:8]}@{unit_domain}"))
            elif valid_types and kind == "password":
                fields.append((name, "Kh0ng-Doan-Duoc!2026"))
            elif valid_types and kind in ("date", "datetime-local", "number", "url", "time"):
                fields.append((name, {"date": "2026-12-24", "datetime-local": "2026-12-24T08:00", "number": "3",
                                      "url": "https://example.vn/a?q=" + urllib.parse.quote(payload), "time": "08:00"}[kind]))
            elif valid_types and re.search(r"ngay|date|On$|tu$|den$", name):
                dates += 1  # later fields later: issued, in force, expires
                fields.append((name, f"{dates:02d}/12/2026"))
            elif valid_types:
                fields.append((name, "Nội dung " + payload))  # text around it survives sanitising
            else:
                fields.append((name, payload))
        for select, options in form["selects"].items():
            values = [v for v, _ in options if v]
            if select and values:
                fields.append((select, values[0]))
        yield fields, files


def encode(fields, files):
    if not files:
        return urllib.parse.urlencode(fields), "application/x-www-form-urlencoded"
    boundary = "----xss" + uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode())
    for name, filename, data in files:
        quoted = filename.replace('"', "%22").replace("\r", "").replace("\n", "")
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{quoted}\"\r\n"
                  f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def local(link, client):
    parsed = urllib.parse.urlsplit(link)
    if parsed.scheme not in ("", "http") or (parsed.hostname and parsed.hostname != client.host):
        return None
    return parsed.path + ("?" + parsed.query if parsed.query else "")


def crawl_admin(client, allowed, unit_domain, shown, counter):
    """Visits every admin page under `allowed` and submits every form once per button, five
    passes (a draft made in one pass is sent for review in the next, approved, published)."""
    done, per_pattern = set(), {}
    for _ in range(5):
        queue, seen = ["/quan-tri"], set()
        while queue and len(seen) < 250:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            status, body, _ = client.get(path)
            if "text/html" not in client.last_type:
                assert client.last_headers.get("x-content-type-options") == "nosniff", f"{path}: {client.last_type} without nosniff"
                assert "attachment" in client.last_headers.get("content-disposition", ""), f"{path}: {client.last_type} not an attachment"
                continue
            page = parse(body)
            shown[(client.host, path)] = (body, page.found)
            for link in page.links:
                target = local(link, client)
                if target and target.startswith("/quan-tri") and not any(s in target for s in SKIPPED_ACTIONS) \
                        and (not target.startswith("/quan-tri/don-vi/") or target.split("/")[3] in allowed) \
                        and "tai-xuong" not in target and target not in seen:
                    queue.append(target.split("#")[0])
            # An item the corpus made (its page's form shows a marker in a field) is taken through
            # every step of its workflow; of the rest, one of each form.
            ours = any(MARKER.search(field[3]) for form in page.forms for field in form["fields"])
            for form in page.forms:
                action = form["action"] or path
                if form["method"] != "post" or any(s in action for s in SKIPPED_POSTS):
                    continue
                if action.startswith("/quan-tri/don-vi/") and action.split("/")[3] not in allowed:
                    continue
                names = tuple(sorted(f[2] for f in form["fields"] if f[1] != "hidden"))
                # Forward steps first; on an item of ours one step per visit (the page is stale after it).
                buttons = sorted(form["buttons"] or [(None, "", None)],
                                 key=lambda b: any(w in (b[1] or "") for w in ("tra-lai", "luu-tru", "go-xuong", "tu-choi", "huy")))
                stepped = False
                for button in buttons:
                    if stepped:
                        break
                    target = button[2] or action
                    pattern = (re.sub(r"[0-9A-Fa-f-]{36}", "ID", target.split("?")[0]), names, button[0], button[1])
                    key = (target.split("?")[0],) + pattern[1:] if ours else pattern
                    if key in done or (ours and per_pattern.get(pattern, 0) >= 6):
                        continue
                    done.add(key)
                    per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
                    stepped = ours and button[0] is not None
                    counter[0] += 1
                    payload = PAYLOADS[counter[0] % len(PAYLOADS)]
                    for fields, files in submissions(form, payload, unit_domain, target):
                        if button[0]:
                            fields.append((button[0], button[1]))
                        encoded, kind = encode(fields, files)
                        status, answer, landed = client.request("POST", target, encoded, kind)
                        assert status < 500, f"POST {target} answered {status}: {answer[:300]}"
                        shown[(client.host, f"POST {target} → {landed}")] = (answer, parse(answer).found)
    return done


def crawl_public(client, shown, limit=150):
    queue, seen = ["/", "/tin-tuc", "/van-ban", "/gioi-thieu", "/lien-he", "/en/", "/rss.xml", "/sitemap.xml"], set()
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or path.startswith(("/quan-tri", "/tep/", "/static/")):
            continue
        seen.add(path)
        status, body, _ = client.get(path)
        if path.endswith(".xml"):
            # A feed's text elements are text (escaped once is right); its descriptions are HTML,
            # which readers render: each is checked like a page.
            document = ElementTree.fromstring(body.encode())
            descriptions = [element.text or "" for element in document.iter("description")]
            finds = [find for text in descriptions for find in parse(text).found]
            shown[(client.host, path)] = ("\n".join(descriptions), finds)
            for element in list(document.iter("link")) + [e for e in document.iter() if e.tag.endswith("}loc")]:
                target = local((element.text or "").strip(), client)
                if target:
                    queue.append(target)
            continue
        page = parse(body)
        shown[(client.host, path)] = (body, page.found)
        for link in page.links:
            target = local(link, client)
            if target and target not in seen:
                queue.append(target.split("#")[0])


def test_xss_corpus_through_every_form_stores_and_shows_nothing_executable(browser, server):
    port = server
    shown = {}
    counter = [0]

    # Public first: the contact form through the browser (it solves its challenge), one vector per field.
    for index in range(3):
        browser.get(f"http://{SCHOOL}:{port}/lien-he")
        for field_id, payload in zip(("f-name", "f-subject", "f-body"), PAYLOADS[index * 3:index * 3 + 3]):
            browser.find_element("id", field_id).send_keys(payload)
        browser.find_element("id", "f-email").send_keys(f"phuhuynh{index}@example.vn")
        browser.find_element("css selector", "form.contact-form button[type=submit]").click()
        time.sleep(3)

    # The question form and an open consultation's comment form, the same way (each solves its
    # challenge); the admin crawl below then reads and moderates what they stored.
    from selenium.webdriver.support.ui import Select
    for index in range(2):
        browser.get(f"http://{SCHOOL}:{port}/hoi-dap")
        name, question = PAYLOADS[(20 + 2 * index) % len(PAYLOADS)], PAYLOADS[(21 + 2 * index) % len(PAYLOADS)]
        browser.find_element("id", "f-name").send_keys(name)
        browser.find_element("id", "f-question").send_keys(question + " — câu hỏi thử an toàn")
        browser.find_element("id", "f-email").send_keys(f"hoi{index}@example.vn")
        Select(browser.find_element("id", "f-topic")).select_by_index(1)
        browser.find_element("id", "f-consent").click()
        browser.find_element("css selector", "form.contact-form button[type=submit]").click()
        time.sleep(3)
    consultation = re.search(r'href="(/lay-y-kien/[0-9a-f-]{36})"', Client(port, SCHOOL).get("/lay-y-kien")[1]).group(1)
    for index in range(2):
        browser.get(f"http://{SCHOOL}:{port}{consultation}")
        for field_id, payload in zip(("f-name", "f-organisation", "f-body"), PAYLOADS[(24 + 3 * index) % len(PAYLOADS):][:3]):
            browser.find_element("id", field_id).send_keys(payload + " góp ý thử")
        browser.find_element("id", "f-email").send_keys(f"gopy{index}@example.vn")
        browser.find_element("css selector", "form.contact-form button[type=submit]").click()
        time.sleep(3)

    # A registration under the Sở's grade-10 plan, with hostile text in every free-text field
    # (stored; shown on the status page and in the admin lists), and one refused (echoed back).
    applicant = Client(port, SCHOOL)
    plan_path = re.search(r'href="(/tuyen-sinh/[0-9a-f-]{36})"', applicant.get("/tuyen-sinh")[1]).group(1)
    form_html = applicant.get(plan_path + "/dang-ky")[1]
    school_id = re.search(r'<option value="([0-9a-f-]{36})">Trường THPT Chu Văn An', form_html).group(1)
    zone = re.search(r'<option value="(Tuyến 1[^"]*)"', form_html).group(1)
    for index, payload in enumerate(PAYLOADS[:12]):
        fields = {"pupilName": "Trần Văn Thử" if index % 2 else payload, "birthDate": "01/02/2012", "gender": "Nam",
                  "birthPlace": payload, "address": payload, "zone": zone, "parentName": payload, "parentPhone": "0912345678",
                  "parentEmail": "", "choice1": school_id, "consent": "on"}
        status, answer, _ = applicant.request("POST", plan_path + "/dang-ky", urllib.parse.urlencode(fields))
        assert status in (200, 422), f"registration answered {status}"
        shown[(SCHOOL, f"POST {plan_path}/dang-ky #{index}")] = (answer, parse(answer).found)
        code = re.search(r'tracking-code">([^<]+)<', answer)
        if code:
            path = f"/tuyen-sinh/tra-cuu?ma={code.group(1)}&ngay-sinh=01%2F02%2F2012"
            body = applicant.get(path)[1]
            shown[(SCHOOL, path)] = (body, parse(body).found)

    school_admin = Client(port, SCHOOL)
    school_admin.login("truongban@thptchuvanan.ninhbinh.edu.vn")
    # What the browser sent through the question and comment forms was stored (and is read below).
    questions = school_admin.get("/quan-tri/don-vi/thpt-chu-van-an/hoi-dap")[1]
    assert MARKER.search(questions), "the questions sent through the browser were not stored"
    comments = school_admin.get("/quan-tri/don-vi/thpt-chu-van-an" + consultation)[1]
    assert MARKER.search(comments), "the consultation comments sent through the browser were not stored"
    so_admin = Client(port, SO)
    so_admin.login("quantri@ninhbinh.edu.vn")
    status, home, _ = so_admin.get("/quan-tri")
    codes = set(re.findall(r'href="/quan-tri/don-vi/([a-z0-9-]+)"', home))
    so_code = "so-ninh-binh"
    assert so_code in codes, f"the Sở's admin home links to {codes}"
    forms = crawl_admin(school_admin, {"thpt-chu-van-an"}, "thptchuvanan.ninhbinh.edu.vn", shown, counter)
    forms |= crawl_admin(so_admin, {so_code, "thpt-chu-van-an"}, "ninhbinh.edu.vn", shown, counter)
    assert len(forms) >= 25, f"only {len(forms)} forms were reached: {sorted(forms)}"

    # Reflected: every public query parameter and the path itself.
    public_so, public_school = Client(port, SO), Client(port, SCHOOL)
    exams = re.findall(r'"id"\s*:\s*"([0-9A-Fa-f-]{36})"', public_so.get("/api/v1/exams")[1])
    for index, payload in enumerate(PAYLOADS):
        quoted = urllib.parse.quote(payload, safe="")
        paths = [f"/tim-kiem?q={quoted}&tu={quoted}&den={quoted}&loai={quoted}&pham-vi=tat-ca",
                 f"/tra-cuu-van-bang?so-hieu={quoted}&ho-ten={quoted}&ngay-sinh={quoted}",
                 f"/van-ban?nam={quoted}&co-quan={quoted}&linh-vuc={quoted}&loai={quoted}&q={quoted}",
                 f"/tin-tuc?trang={quoted}", f"/khong-co/{quoted}"]
        paths += [f"/tra-cuu-diem-thi/ket-qua?ky={exam}&sbd={quoted}&ngay-sinh={quoted}" for exam in exams[:1]]
        paths += [f"/tra-cuu-diem-thi/ket-qua?ky={quoted}&sbd=279901&ngay-sinh=01%2F02%2F2011"]
        for path in paths:
            status, body, _ = public_so.get(path)
            assert status < 500, f"GET {path} answered {status}"
            shown[(SO, path)] = (body, parse(body).found)
    for exam in exams:
        for path in (f"/tra-cuu-diem-thi/ket-qua?ky={exam}&sbd=279901&ngay-sinh=01%2F02%2F2011", f"/tra-cuu-diem-thi/pho-diem/{exam}"):
            shown[(SO, path)] = (lambda body: (body, parse(body).found))(public_so.get(path)[1])

    # Stored: everything public on both sites, after the admin passes published what they could.
    crawl_public(public_so, shown)
    crawl_public(public_school, shown)

    found = {key: finds for key, (body, finds) in shown.items() if finds}
    assert not found, "executable content:\n" + "\n".join(f"{key}: {finds[:5]}" for key, finds in list(found.items())[:30])
    carrying = [key for key, (body, _) in shown.items() if MARKER.search(body) and not key[1].startswith("POST")]
    assert len(carrying) >= 40, f"only {len(carrying)} pages show a marker: the corpus did not get stored or reflected"

    # The same pages in Chromium: nothing runs, and the CSP never had to refuse anything.
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        window.__xss = [];
        for (const name of ['alert', 'confirm', 'prompt', 'print']) {
            window[name] = (...args) => { window.__xss.push(name + ':' + String(args[0])); };
        }"""})
    sessions = {SO: so_admin, SCHOOL: school_admin}
    for host, client in sessions.items():
        browser.get(f"http://{host}:{port}/robots.txt")
        for name, value in client.cookies.items():
            browser.add_cookie({"name": name, "value": value, "path": "/"})
    ran, refused = [], []
    for host, path in carrying:
        try:
            browser.get(f"http://{host}:{port}{path}")
        except TimeoutException:
            ran.append(f"{host}{path}: did not finish loading")
            continue
        time.sleep(0.05)
        fired = browser.execute_script("return window.__xss || []")
        if fired:
            ran.append(f"{host}{path}: {fired}")
        for entry in browser.get_log("browser"):
            if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]:
                refused.append(f"{host}{path}: {entry['message'][:200]}")
    assert not ran, "script ran:\n" + "\n".join(ran[:20])
    assert not refused, "the CSP had to refuse injected content:\n" + "\n".join(refused[:20])
    print(f"{len(PAYLOADS)} vectors, {len(forms)} forms, {len(shown)} responses read, {len(carrying)} pages with a marker loaded in Chromium")
