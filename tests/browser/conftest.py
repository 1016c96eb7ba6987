"""Browser checks against a running EduPortal (started by scripts/test with the demo data).

EDUPORTAL_BASE_PORT names the port; hosts are the demo's *.localhost names, which Chromium
resolves to this machine.
"""
import os

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


@pytest.fixture(scope="session")
def port():
    value = os.environ.get("EDUPORTAL_BASE_PORT")
    if not value:
        pytest.fail("EDUPORTAL_BASE_PORT is not set: run these checks through scripts/test")
    return int(value)


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
