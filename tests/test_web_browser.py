"""The page in a real browser: Debian's headless Chromium driven by Selenium and chromium-driver.

Opens the page, uploads the seed, reads its bottom line (or first key point), follows a citation to
the highlighted source sentence, builds the principal memo and downloads its PDF. `.ci/run`
installs chromium and chromium-driver, so on CI this runs; elsewhere it is skipped, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.web.app import create_app
from briefgen.web.config import WebConfig

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sources" / "north-korean-security.txt"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HIGHLIGHT = "rgba(255, 241, 168, 1)"  # --mark in style.css

if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
    if os.environ.get("CI"):
        raise RuntimeError("CI must install chromium and chromium-driver (.ci/run does) for the browser test")
    pytest.skip("Debian's chromium and chromium-driver are not installed", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    import uvicorn

    workspace = tmp_path / "ws"
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(WebConfig(workspace=workspace, port=port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):  # bounded: 20 s
        if server.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", workspace
    server.should_exit = True
    thread.join(timeout=20)
    sock.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[tuple[object, Path]]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver, downloads
    finally:
        driver.quit()


def test_a_staffer_uploads_the_seed_follows_a_citation_and_downloads_the_principal_pdf(
    server, browser
) -> None:
    url, workspace = server
    driver, downloads = browser
    wait = WebDriverWait(driver, 60)

    driver.get(url + "/")
    driver.find_element(By.ID, "file").send_keys(str(SEED))
    driver.find_element(By.ID, "analyse").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "article.findings h1"))
    brief = json.loads(next(workspace.rglob("brief.json")).read_text(encoding="utf-8"))
    assert driver.find_element(By.CSS_SELECTOR, "article.findings h1").text == brief["meta"]["title"]

    # The judgment first: the bottom line when the analysis gives one, else the first key point.
    if brief.get("bottom_line"):
        finding, item = brief["bottom_line"][0], driver.find_element(By.CSS_SELECTOR, "#bottom-line p")
    else:
        finding, item = brief["key_points"][0], driver.find_element(By.CSS_SELECTOR, "ol.points li")
    assert item.text.startswith(finding["text"])

    item.find_element(By.CSS_SELECTOR, "a.cite").click()
    sentence_id = finding["cite"]["sentence"]
    target = driver.find_element(By.ID, "s-" + sentence_id.replace(".", "-"))
    wait.until(lambda _d: "highlight" in (target.get_attribute("class") or ""))
    cited = next(s for s in brief["sentences"] if s["id"] == sentence_id)
    assert target.is_displayed()
    assert target.text == cited["text"]
    assert target.value_of_css_property("background-color") == HIGHLIGHT
    assert driver.switch_to.active_element == target, "keyboard focus follows the citation"

    for box in driver.find_elements(By.CSS_SELECTOR, "input[name=audience]"):
        if box.is_selected() != (box.get_attribute("value") == "principal"):
            box.click()
    driver.find_element(By.ID, "build-button").click()
    link = wait.until(
        lambda d: next(
            (a for a in d.find_elements(By.CSS_SELECTOR, "a.button") if a.text == "Download PDF"), None
        )
    )
    assert driver.find_elements(By.CSS_SELECTOR, ".pages img"), "the preview shows page images"
    link.click()
    pdf = WebDriverWait(driver, 60).until(
        lambda _d: next((p for p in downloads.iterdir() if p.suffix == ".pdf"), None)
    )
    built = next(workspace.rglob("principal.pdf"))
    assert pdf.name == "north-korean-security-principal.pdf"
    assert pdf.read_bytes() == built.read_bytes()
