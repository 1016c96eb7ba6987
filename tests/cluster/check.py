"""Two `eduportal serve` nodes on one PostgreSQL database (#18 point 1), driven by scripts/test:

    python3 tests/cluster/check.py PORT_A PORT_B DATABASE_URL

Checks, each through HTTP on the real nodes:
  1. exactly one node runs the periodic work (the worker's advisory lock);
  2. an article published through node A is served by node B within a second;
  3. an exam re-imported through node A is answered in its new version by both nodes;
  4. an account locked through node A has its open session on node B refused at once.
The kill of node A under load behind nginx and the worker moving to node B are done by
scripts/test around this script (they need the processes)."""
import http.client, json, re, subprocess, sys, time, urllib.parse, uuid

PORT_A, PORT_B, DATABASE_URL = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
PASSWORD = "EduPortal@2026"
ROOT = "so-ninh-binh"


class Site:
    """One visitor on one node: cookies, CSRF tokens, redirects not followed."""

    def __init__(self, port, host):
        self.port, self.host, self.cookies = port, host, {}

    def request(self, method, path, body=None, content_type="application/x-www-form-urlencoded"):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Origin"] = f"http://{self.host}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        connection.close()
        return response.status, data, response.getheader("Location") or ""

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        return self.request("POST", path, urllib.parse.urlencode(fields))

    @staticmethod
    def csrf(page):
        return re.search(r'name="_csrf" value="([^"]+)"', page).group(1)

    def login(self, email):
        _, page, _ = self.get("/quan-tri/dang-nhap")
        status, _, location = self.post("/quan-tri/dang-nhap", {"_csrf": self.csrf(page), "email": email, "password": PASSWORD})
        assert status == 303 and "dang-nhap" not in location, f"{email} could not log in on :{self.port} ({status} → {location})"


def metric(port, name):
    status, text, _ = Site(port, "localhost").get("/metrics")
    assert status == 200, f"/metrics on :{port} answered {status}"
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def psql(sql):
    return subprocess.run(["psql", DATABASE_URL, "-tAc", sql], check=True, capture_output=True, text=True).stdout.strip()


def wait_for(what, check, limit):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if check():
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"{what}: not within {limit} s")


# 1. One worker, both nodes linked.
wait_for("both nodes hear the channel", lambda: metric(PORT_A, "eduportal_cluster_linked") == 1 and metric(PORT_B, "eduportal_cluster_linked") == 1, 15)
wait_for("a worker", lambda: (metric(PORT_A, "eduportal_cluster_worker") or 0) + (metric(PORT_B, "eduportal_cluster_worker") or 0) == 1, 10)
workers = (metric(PORT_A, "eduportal_cluster_worker"), metric(PORT_B, "eduportal_cluster_worker"))
assert workers == (1, 0), f"node A started first and should hold the worker's lock: {workers}"
print("one worker (node A), both nodes linked")

# 2. An article published through A, seen on B.
admin = Site(PORT_A, "localhost")
admin.login("quantri@ninhbinh.edu.vn")
reader = Site(PORT_B, "localhost")
status, before, _ = reader.get("/tin-tuc")
assert status == 200
title = f"Thông báo liên máy chủ {uuid.uuid4().hex[:8]}"
assert title not in before
status, page, _ = admin.get(f"/quan-tri/don-vi/{ROOT}/bai-viet/moi")
assert status == 200, status
category = re.search(r'<select[^>]*name="category".*?<option value="([0-9a-fA-F-]{36})"', page, re.S).group(1)
status, page, location = admin.post(f"/quan-tri/don-vi/{ROOT}/bai-viet/moi", {
    "_csrf": Site.csrf(page), "title": title, "summary": "Bài thử giữa hai máy chủ.", "body": "<p>Nội dung thử.</p>",
    "category": category, "authorName": "Văn phòng Sở"})
assert status == 303, (status, page[-1500:])
article = urllib.parse.urlsplit(location).path
for step in ["gui-duyet", "duyet", "dang"]:
    _, page, _ = admin.get(article)
    status, page, _ = admin.post(article + "/chuyen-trang-thai", {"_csrf": Site.csrf(page), "transition": step, "comment": "Thử"})
    assert status == 303, (step, status, page[-1500:])
seen = wait_for("the article on node B", lambda: title in reader.get("/tin-tuc")[1], 1.0)
print(f"article published on A served by B after {seen * 1000:.0f} ms")

# 3. An exam re-imported through A: both nodes answer the new version.
def exams(port):
    status, body, _ = Site(port, "localhost").get("/api/v1/exams")
    assert status == 200, status
    return {e["id"]: e for e in json.loads(body)["exams"]}

current = exams(PORT_A)
exam_id, exam = next(iter(current.items()))
assert exams(PORT_B)[exam_id]["version"] == exam["version"]
status, page, _ = admin.get(f"/quan-tri/don-vi/{ROOT}/ky-thi/{exam_id}")
assert status == 200, status
action = re.search(r'action="([^"]*/ky-thi/' + exam_id + r'/nhap\?_csrf=[^"]+)"', page).group(1).replace("&amp;", "&")
csv = ("STT;SBD;Họ và tên;Ngày sinh;Giới tính;Hội đồng thi;Toán;Ngữ văn;Tiếng Anh;Ghi chú\r\n"
       "1;270001;Nguyễn Minh Anh;15/03/2011;Nữ;THPT Chu Văn An;9,5;8,5;9,25;Phúc khảo\r\n"
       "2;270002;Trần Đức Bình;02/07/2011;Nam;THPT Chu Văn An;7;6,75;8;\r\n").encode("utf-8")
boundary = uuid.uuid4().hex
body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="phuc-khao.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + csv + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="publishNow"\r\n\r\non\r\n--{boundary}--\r\n'.encode())
status, page, _ = admin.request("POST", action, body, f"multipart/form-data; boundary={boundary}")
assert status == 303, (status, page[-1500:])
wait_for("the new version on node A", lambda: exams(PORT_A)[exam_id]["version"] > exam["version"], 60)
after_a = time.monotonic()
version = exams(PORT_A)[exam_id]["version"]
lag = wait_for("the new version on node B", lambda: exams(PORT_B).get(exam_id, {}).get("version") == version, 1.0)
for port in (PORT_A, PORT_B):
    status, answer, _ = Site(port, "localhost").get(f"/api/v1/exams/{exam_id}/results?sbd=270001&ngay-sinh=15/03/2011")
    assert status == 200 and '"score":9.5' in answer and f'"version":{version}' in answer, (port, status, answer)
print(f"exam version {version} imported on A answered by B {lag * 1000:.0f} ms after A")

# 4. A lock on A ends the session on B at once.
editor = Site(PORT_B, "thpt-chu-van-an.localhost")
editor.login("truongban@thptchuvanan.ninhbinh.edu.vn")
status, _, _ = editor.get("/quan-tri")
assert status == 200, f"the editor's session on B: {status}"
user_id = psql("SELECT id FROM users WHERE email = 'truongban@thptchuvanan.ninhbinh.edu.vn'")
_, page, _ = admin.get(f"/quan-tri/don-vi/thpt-chu-van-an")
status, page, _ = admin.post("/quan-tri/don-vi/thpt-chu-van-an/khoa-tai-khoan", {"_csrf": Site.csrf(page), "user": user_id, "disable": "1"})
assert status == 303, (status, page[-1500:])
status, _, location = editor.get("/quan-tri")
assert status in (302, 303) and "dang-nhap" in location, f"a locked account's session on B still answered {status} {location}"
print("account locked on A: its session on B refused at the next request")
