"""Speed as people feel it (#19 point 4): pages loaded in headless Chromium with a mobile profile
(375 x 667 at twice the density, 4x CPU slowdown, slow 4G as Lighthouse applies it in DevTools:
562.5 ms round trip, 1.44 Mbit/s down, 0.675 Mbit/s up), cold (empty cache) and warm (loaded
again). Records first contentful paint, largest contentful paint, total blocking time (long tasks'
time past 50 ms, from the first paint until the page is quiet) and bytes transferred.

python3 bench/vitals.py BASE_PORT ROUNDS  (the pages are on the demo's hosts, resolved by Chromium)
Prints a Markdown table; the median of ROUNDS loads per row."""
import json
import statistics
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PORT = int(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
NETWORK = {"offline": False, "latency": 562.5, "downloadThroughput": 1.44e6 / 8, "uploadThroughput": 0.675e6 / 8}

OBSERVE = """
window.__vitals = {lcp: 0, lcpElement: '', longTasks: []};
new PerformanceObserver(list => { for (const e of list.getEntries()) { window.__vitals.lcp = e.startTime;
  window.__vitals.lcpElement = e.element ? e.element.tagName.toLowerCase() + (e.url ? ' ' + e.url.split('/').pop() : '') : ''; } })
  .observe({type: 'largest-contentful-paint', buffered: true});
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__vitals.longTasks.push([e.startTime, e.duration]); })
  .observe({type: 'longtask', buffered: true});
"""

READ = """
const nav = performance.getEntriesByType('navigation')[0];
const fcp = (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0;
const resources = performance.getEntriesByType('resource');
const bytes = (nav ? nav.transferSize : 0) + resources.reduce((sum, r) => sum + (r.transferSize || 0), 0);
const tbt = window.__vitals.longTasks.filter(t => t[0] + t[1] > fcp).reduce((sum, t) => sum + Math.max(0, t[1] - 50), 0);
return {fcp, lcp: window.__vitals.lcp, lcpElement: window.__vitals.lcpElement, tbt, bytes,
        requests: resources.length + 1, load: nav ? nav.loadEventEnd : 0};
"""


def get(host, path):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Host": host})
    return urllib.request.urlopen(request).read().decode()


def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=375,667"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 667, "deviceScaleFactor": 2, "mobile": True})
    browser.execute_cdp_cmd("Emulation.setUserAgentOverride", {
        "userAgent": "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"})
    browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", NETWORK)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVE})
    browser.set_page_load_timeout(60)
    return browser


def measure(browser, url):
    browser.get(url)
    # Quiet: LCP settles after the load; lazy pictures near the screen arrive.
    time.sleep(2.5)
    return browser.execute_script(READ)


def main():
    exam = json.loads(get("localhost", "/api/v1/exams"))["exams"][0]["id"]
    school = "thpt-chu-van-an.localhost"
    home = get(school, "/")
    start = home.index('class="lead-story"')
    article = home[home.index('href="/bai-viet/', start) + 6:]
    article = article[:article.index('"')]
    pages = [
        ("Trang chủ (trường)", f"http://{school}:{PORT}/"),
        ("Bài viết có ảnh và bộ ảnh", f"http://{school}:{PORT}{article}"),
        ("Tra cứu điểm thi", f"http://localhost:{PORT}/tra-cuu-diem-thi"),
        ("Kết quả thi", f"http://localhost:{PORT}/tra-cuu-diem-thi/ket-qua?ky={exam}&sbd=270001&ngay-sinh=15%2F03%2F2011"),
    ]
    print("| page | load | FCP ms | LCP ms | LCP element | TBT ms | bytes | requests |")
    print("|---|---|---:|---:|---|---:|---:|---:|")
    rows = []
    for name, url in pages:
        cold, warm = [], []
        for _ in range(ROUNDS):
            browser = driver()  # a new profile: nothing cached, no connection open
            try:
                cold.append(measure(browser, url))
                warm.append(measure(browser, url))
            finally:
                browser.quit()
        for label, runs in (("cold", cold), ("warm", warm)):
            middle = {key: statistics.median(run[key] for run in runs) for key in ("fcp", "lcp", "tbt", "bytes", "requests")}
            element = max(runs, key=lambda run: run["lcp"])["lcpElement"]
            rows.append({"page": name, "load": label, **middle, "element": element})
            print(f"| {name} | {label} | {middle['fcp']:.0f} | {middle['lcp']:.0f} | {element} | {middle['tbt']:.0f} | "
                  f"{middle['bytes']:,.0f} | {middle['requests']:.0f} |", flush=True)
    json.dump(rows, open(sys.argv[3], "w"), ensure_ascii=False, indent=1) if len(sys.argv) > 3 else None


main()
