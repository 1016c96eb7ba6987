"""The admin's rich text editor in a real browser: it loads under the CSP, formats text, and a
paste from Word keeps its structure and loses its junk once saved."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

HOST = "thpt-chu-van-an.localhost"
WORD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head><body>'
    '<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->'
    '<h1 class="MsoTitle">Kế hoạch ôn tập</h1>'
    "<p class=MsoNormal style='font-family:\"Times New Roman\"'><b>Mục tiêu:</b> củng cố kiến thức<o:p></o:p></p>"
    '<ul><li class=MsoListParagraph>Toán</li><li>Ngữ văn</li></ul>'
    '<table class=MsoTableGrid border=1><tr><td><p class=MsoNormal>Tuần 1</p></td><td>Đại số</td></tr></table>'
    '<p><a href="javascript:alert(1)" onclick="alert(1)">liên kết độc</a><img src=x onerror="alert(1)"></p>'
    "</body></html>"
)


def login(driver, port, email):
    driver.get(f"http://{HOST}:{port}/quan-tri/dang-nhap")
    driver.find_element(By.ID, "f-email").send_keys(email)
    driver.find_element(By.ID, "f-password").send_keys("EduPortal@2026")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # Wait for the answer to the form, not for a URL the login page already has.
    WebDriverWait(driver, 10).until(lambda d: "dang-nhap" not in d.current_url or d.find_elements(By.CSS_SELECTOR, ".error"))
    assert "dang-nhap" not in driver.current_url, driver.page_source[:2000]


def test_editor_formats_and_cleans_a_word_paste(browser, port):
    login(browser, port, "truongban@thptchuvanan.ninhbinh.edu.vn")
    browser.get(f"http://{HOST}:{port}/quan-tri/don-vi/thpt-chu-van-an/bai-viet/moi")
    area = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".editor-area[contenteditable=true]")))
    toolbar = browser.find_element(By.CSS_SELECTOR, ".editor-toolbar[role=toolbar]")
    assert len(toolbar.find_elements(By.TAG_NAME, "button")) >= 10
    assert area.get_attribute("aria-labelledby"), "the editing area must be labelled for screen readers"
    assert not browser.find_element(By.ID, "f-body").is_displayed(), "the raw HTML box is hidden while the editor is on"

    browser.find_element(By.ID, "f-title").send_keys("Kế hoạch ôn tập học kỳ I")
    Select(browser.find_element(By.ID, "f-category")).select_by_index(1)
    area.click()
    area.send_keys("Mở đầu bài viết. ")
    browser.execute_script(
        """
        const area = arguments[0];
        area.focus();
        const range = document.createRange();
        range.selectNodeContents(area);
        range.collapse(false);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        const data = new DataTransfer();
        data.setData('text/html', arguments[1]);
        data.setData('text/plain', 'Kế hoạch ôn tập');
        area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        """,
        area,
        WORD,
    )
    # Bold through the toolbar on a selected word.
    browser.execute_script(
        """
        const area = arguments[0];
        const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode()) && node.textContent.indexOf('Mở đầu') < 0) {}
        const range = document.createRange();
        range.setStart(node, 0); range.setEnd(node, 6);
        const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
        """,
        area,
    )
    browser.find_element(By.CSS_SELECTOR, ".editor-toolbar button[aria-label='Chữ đậm']").click()
    browser.find_element(By.CSS_SELECTOR, "form[novalidate] button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("ok=article-saved"))

    saved = browser.execute_script("return document.querySelector('textarea[name=body]').value")
    assert "Kế hoạch ôn tập" in saved
    assert "<h2>Kế hoạch ôn tập</h2>" in saved, saved
    assert "<strong>Mở đầu</strong>" in saved or "<b>Mở đầu</b>" in saved or "<strong>Mở đầ" in saved, saved
    assert "<li>Toán</li>" in saved and "<li>Ngữ văn</li>" in saved, saved
    assert "<table>" in saved and "Đại số" in saved, saved
    for junk in ("Mso", "style", "class=", "o:p", "javascript:", "onerror", "onclick", "<xml", "<h1"):
        assert junk not in saved, f"{junk} survived: {saved}"

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, "\n".join(entry["message"] for entry in errors)


def test_admin_pages_load_their_script_under_the_csp(browser, port):
    login(browser, port, "quantri@thptchuvanan.ninhbinh.edu.vn")
    browser.get(f"http://{HOST}:{port}/quan-tri/don-vi/thpt-chu-van-an/gioi-thieu/tong-quan")
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".editor-area")))
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
