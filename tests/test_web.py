"""`briefgen serve` at the HTTP level, through Starlette's test client (no socket, no browser)."""

from __future__ import annotations

import html
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from briefgen.batch.lock import output_lock
from briefgen.cli import main
from briefgen.errors import SettingError, SourceError
from briefgen.pipeline import extract
from briefgen.web.app import create_app
from briefgen.web.config import WebConfig, is_loopback
from briefgen.web.workspace import safe_name

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
SEED = SOURCES / "north-korean-security.txt"
EVERY_FORMAT = sorted(p for p in SOURCES.iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))
LOCAL = "http://127.0.0.1"


def client_for(config: WebConfig) -> TestClient:
    return TestClient(create_app(config), base_url=LOCAL, follow_redirects=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def client(workspace: Path):
    with client_for(WebConfig(workspace=workspace)) as c:
        yield c


def csrf(client: TestClient, url: str = "/") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert match, "every page with a form carries the CSRF token"
    return match[1]


def upload(client: TestClient, path: Path, name: str | None = None, **headers: str):
    token = csrf(client)
    with path.open("rb") as handle:
        return client.post(
            "/sources", data={"csrf": token}, files={"file": (name or path.name, handle)}, headers=headers
        )


def stored_files(workspace: Path) -> list[Path]:
    users = workspace / "users"
    return sorted(p for p in users.rglob("*") if p.is_file()) if users.exists() else []


def wait_for_build(client: TestClient, build_url: str) -> dict:
    for _ in range(600):  # bounded: 60 s at most
        status = client.get(build_url + "/status").json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError("the build did not finish")


def build(client: TestClient, source_url: str, **fields) -> str:
    data = {"csrf": csrf(client, source_url), **fields}
    response = client.post(source_url + "/builds", data=data)
    assert response.status_code == 303, response.text
    return response.headers["location"]


@pytest.mark.parametrize("path", EVERY_FORMAT, ids=lambda p: p.suffix[1:])
def test_every_reader_format_uploads_and_its_analysis_page_shows_each_key_point_with_a_citation(
    client: TestClient, workspace: Path, path: Path
) -> None:
    response = upload(client, path)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    brief = json.loads(next(workspace.rglob("brief.json")).read_text())
    text = html.unescape(page.text)
    assert brief["meta"]["title"] in text
    assert brief["key_points"], "every example source has key points"
    for point in brief["key_points"]:
        assert point["text"] in text
        sentence = "s-" + point["cite"]["sentence"].replace(".", "-")
        assert f'href="#{sentence}"' in page.text, "the point links to its sentence"
        assert f'id="{sentence}"' in page.text, "and the source pane has that sentence"


def test_pasted_text_is_read_as_a_text_source(client: TestClient) -> None:
    text = SEED.read_text(encoding="utf-8")
    response = client.post("/sources", data={"csrf": csrf(client), "text": text})
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "North Korean Security" in page.text


def test_a_bad_file_gets_the_clis_one_line_message_on_the_page_and_nothing_is_stored(
    client: TestClient, workspace: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"this is not a pdf at all\n")
    with pytest.raises(SourceError) as cli_error:
        extract(bad)
    response = upload(client, bad)
    assert response.status_code == 400
    assert html.escape(f"report.pdf: {cli_error.value.problem}", quote=False) in response.text
    assert "Traceback" not in response.text
    assert stored_files(workspace) == []


def test_an_empty_form_asks_for_a_file_or_text(client: TestClient, workspace: Path) -> None:
    response = client.post("/sources", data={"csrf": csrf(client), "text": "  "})
    assert response.status_code == 400
    assert "choose a file or paste the text" in response.text
    assert stored_files(workspace) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(workspace: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("A title\n\n" + "Words of a long report. " * 200)
    with client_for(WebConfig(workspace=workspace, max_bytes=1000)) as c:
        response = upload(c, big)
    assert response.status_code == 413
    assert "over the size limit of 1,000 bytes" in response.text
    assert stored_files(workspace) == []


def test_a_text_over_the_character_limit_gets_the_clis_message(workspace: Path) -> None:
    with client_for(WebConfig(workspace=workspace, max_chars=200)) as c:
        response = upload(c, SEED)
    assert response.status_code == 400
    assert "over the analysis limit of 200" in response.text
    assert stored_files(workspace) == []


def test_every_form_post_without_the_csrf_token_is_refused(client: TestClient, workspace: Path) -> None:
    source_url = upload(client, SEED).headers["location"]
    before = stored_files(workspace)
    posts = {
        "/sources": {"text": "A title\n\nA paragraph that would be stored."},
        source_url + "/builds": {"audience": "memo", "format": "pdf"},
        "/batch/run": {},
        "/logout": {},
    }
    for url, data in posts.items():
        for token in (None, "forged"):
            sent = dict(data, **({"csrf": token} if token else {}))
            response = client.post(url, data=sent)
            assert response.status_code == 403, url
            assert "CSRF" in response.text
    assert stored_files(workspace) == before


def test_a_host_reachable_from_other_machines_needs_a_token_or_a_trusted_remote_user(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.10")
    for host in ("0.0.0.0", "192.0.2.10", "briefs.example.org"):
        with pytest.raises(SettingError) as caught:
            WebConfig(workspace=tmp_path, host=host)
        assert caught.value.name == "host" and caught.value.remedies == ("token", "trust_remote_user")
        assert not WebConfig(workspace=tmp_path, host=host, token="a-long-secret").local
        assert not WebConfig(workspace=tmp_path, host=host, trust_remote_user=True).local
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--workspace", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "briefgen: error:" in result.output
    assert "--host 0.0.0.0" in result.output and "--token" in result.output


def test_on_loopback_a_request_for_another_host_name_is_refused(client: TestClient) -> None:
    # A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) gets nothing.
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_a_token_is_asked_once_and_each_browser_gets_its_own_workspace(workspace: Path) -> None:
    config = WebConfig(workspace=workspace, host="0.0.0.0", token="correct-horse")
    with client_for(config) as first, client_for(config) as second:
        assert first.get("/").headers["location"] == "/login"
        forged = first.post("/login", data={"token": "correct-horse"})  # no CSRF token: refused
        assert forged.status_code == 403 and first.get("/").status_code == 303
        wrong = first.post("/login", data={"csrf": csrf(first, "/login"), "token": "guess-guess"})
        assert wrong.status_code == 401
        for browser in (first, second):
            ok = browser.post("/login", data={"csrf": csrf(browser, "/login"), "token": "correct-horse"})
            assert ok.status_code == 303
            assert browser.get("/").status_code == 200
        source_url = upload(first, SEED).headers["location"]
        assert first.get(source_url).status_code == 200
        assert second.get(source_url).status_code == 404
        assert "North Korean Security" not in second.get("/").text


def test_behind_an_sso_proxy_the_remote_user_names_the_workspace_and_another_users_files_are_unreachable(
    workspace: Path,
) -> None:
    config = WebConfig(workspace=workspace, host="0.0.0.0", trust_remote_user=True)
    with client_for(config) as alice, client_for(config) as bob:
        assert alice.get("/").status_code == 401
        alice.headers["Remote-User"] = "alice"
        bob.headers["Remote-User"] = "bob"
        source_url = upload(alice, SEED).headers["location"]
        build_url = build(alice, source_url, audience="principal", format="pdf", date="2026-01-05")
        assert wait_for_build(alice, build_url)["status"] == "done"
        mine = [source_url, source_url + "/brief.json", build_url, build_url + "/files/principal.pdf"]
        mine.append(build_url + "/preview/preview-principal-1.png")
        for url in mine:
            assert alice.get(url).status_code == 200, url
            assert bob.get(url).status_code == 404, url
        assert "North Korean Security" not in bob.get("/").text


def test_a_path_traversal_name_is_stored_under_a_name_the_server_makes(
    client: TestClient, workspace: Path
) -> None:
    response = upload(client, SEED, name="../../../../tmp/evil.txt")
    assert response.status_code == 303
    files = stored_files(workspace)
    assert files and all(f.is_relative_to(workspace / "users") for f in files)
    assert {f.name for f in files} == {"evil.txt", "brief.json", "info.json"}
    assert not (workspace.parent / "evil.txt").exists()
    assert safe_name("..\\..\\Windows\\win.ini") == "win.ini"
    assert safe_name("../..") == "source"
    assert safe_name("Brief (final) — v2.docx") == "Brief-final-v2.docx"


def test_an_unknown_id_or_file_name_is_a_404_with_a_one_line_message(client: TestClient) -> None:
    source_url = upload(client, SEED).headers["location"]
    for url in (
        "/sources/0123456789abcdef",
        "/sources/..%2f..%2fetc",
        source_url + "/builds/0123456789abcdef",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Traceback" not in response.text


def test_an_unknown_audience_is_refused_with_the_clis_message(client: TestClient) -> None:
    source_url = upload(client, SEED).headers["location"]
    response = client.post(
        source_url + "/builds", data={"csrf": csrf(client, source_url), "audience": "nobody", "format": "pdf"}
    )
    assert response.status_code == 400
    assert "unknown audience" in html.unescape(response.text)


def test_an_internal_error_is_one_line_on_the_page_never_a_traceback(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.web.app as web_app

    def broken(_brief):
        raise RuntimeError("something deep went wrong")

    with TestClient(
        create_app(WebConfig(workspace=workspace)),
        base_url=LOCAL,
        raise_server_exceptions=False,
        follow_redirects=False,
    ) as c:
        source_url = upload(c, SEED).headers["location"]
        monkeypatch.setattr(web_app, "AnalysisView", broken)
        response = c.get(source_url)
    assert response.status_code == 500
    assert "internal error: RuntimeError" in response.text
    assert "Traceback" not in response.text and "something deep" not in response.text


def test_the_analysis_runs_in_the_worker_thread_not_on_the_event_loop(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import briefgen.web.app as web_app

    threads = []

    def recording_extract(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return extract(*args, **kwargs)

    monkeypatch.setattr(web_app, "extract", recording_extract)
    assert upload(client, SEED).status_code == 303
    assert threads and threads[0].startswith("briefgen-worker")


def test_pages_are_served_while_a_build_is_still_running(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import briefgen.web.work as work

    release = threading.Event()
    real = work.build_memos

    def slow_build(*args, **kwargs):
        # Held until the pages below have been served: were the build on the event loop, they could
        # not be, the wait would run out and the build would fail.
        if not release.wait(timeout=30):
            raise RuntimeError("the pages were not served while the build ran")
        return real(*args, **kwargs)

    monkeypatch.setattr(work, "build_memos", slow_build)
    source_url = upload(client, SEED).headers["location"]
    build_url = build(client, source_url, audience="principal", format="pdf")
    try:
        for url in ("/", source_url, build_url, "/templates"):
            assert client.get(url).status_code == 200
        assert client.get(build_url + "/status").json()["status"] in ("queued", "running")
        assert not release.is_set(), "every page above was served with the build still held"
    finally:
        release.set()
    assert wait_for_build(client, build_url)["status"] == "done"


def test_downloads_are_byte_identical_to_briefgen_build_with_the_same_options(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_url = upload(client, SEED).headers["location"]
    options = {
        "classification": "UNCLASSIFIED",
        "to": "The Director",
        "from": "Asia desk",
        "perspective": "United States",
        "date": "2026-01-05",
    }
    build_url = build(client, source_url, audience=["memo", "principal"], format=["docx", "pdf"], **options)
    assert wait_for_build(client, build_url)["status"] == "done"
    page = client.get(build_url)
    assert "preview-principal-1.png" in page.text and "Download PDF" in page.text

    monkeypatch.chdir(SOURCES)  # as a user runs it beside the file: the memo names it alone
    out = tmp_path / "cli"
    args = ["build", SEED.name, "-a", "memo", "-a", "principal", "-o", str(out), "--date", options["date"]]
    args += ["--classification", options["classification"], "--to", options["to"], "--from", options["from"]]
    args += ["--perspective", options["perspective"]]
    assert CliRunner().invoke(main, args).exit_code == 0
    for name in ("memo.docx", "memo.pdf", "principal.docx", "principal.pdf"):
        downloaded = client.get(f"{build_url}/files/{name}")
        assert downloaded.status_code == 200
        assert downloaded.content == (out / SEED.stem / name).read_bytes(), name

    extracted = CliRunner().invoke(main, ["extract", SEED.name])
    assert client.get(source_url + "/brief.json").text == extracted.output


def test_a_custom_audience_from_a_templates_folder_is_offered_and_built(
    client: TestClient, tmp_path: Path
) -> None:
    from briefgen.compose import init_audience

    folder = tmp_path / "office-templates"
    init_audience("desk-note", from_audience="memo", directory=folder)
    source_url = upload(client, SEED).headers["location"]
    page = client.get(source_url, params={"templates": str(folder)})
    assert 'value="desk-note"' in page.text
    build_url = build(client, source_url, audience="desk-note", format="docx", templates=str(folder))
    assert wait_for_build(client, build_url)["status"] == "done"
    assert client.get(build_url + "/files/desk-note.docx").content.startswith(b"PK")


def test_on_a_shared_server_the_templates_field_names_only_a_folder_of_the_workspace(workspace: Path) -> None:
    config = WebConfig(workspace=workspace, host="0.0.0.0", trust_remote_user=True)
    with client_for(config) as c:
        c.headers["Remote-User"] = "carol"
        source_url = upload(c, SEED).headers["location"]
        for folder in ("/etc", "../users", str(ROOT / "templates")):
            response = c.post(
                source_url + "/builds",
                data={"csrf": csrf(c, source_url), "audience": "memo", "format": "pdf", "templates": folder},
            )
            assert response.status_code == 400, folder
            assert "templates/" in html.unescape(response.text)


def test_the_templates_page_lists_the_audiences_and_every_problem_of_a_folder(
    client: TestClient, tmp_path: Path
) -> None:
    folder = tmp_path / "my-templates"
    (folder / "desk").mkdir(parents=True)
    (folder / "desk" / "memo.md.j2").write_text("{% if %}broken\n")
    (folder / "desk" / "audience.toml").write_text('label = "Desk"\nkey_points = "many"\n')
    from briefgen.compose import check_templates, list_audiences

    problems = check_templates(folder)
    assert len(problems) >= 2
    page = client.get("/templates", params={"folder": str(folder)})
    assert page.status_code == 200
    for problem in problems:
        assert f"<li>{problem}</li>" in html.unescape(page.text)
    for audience in list_audiences(None):
        assert f"<code>{audience.name}</code>" in page.text
    missing = client.get("/templates", params={"folder": str(tmp_path / "nowhere")})
    assert "templates folder not found" in missing.text


def test_the_batch_page_runs_the_manifest_and_shows_its_last_report_with_failures(
    workspace: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(SEED, project / SEED.name)
    (project / "broken.pdf").write_bytes(b"not a pdf\n")
    manifest = project / "briefgen.toml"
    manifest.write_text(
        '[defaults]\nout = "out"\ndate = 2026-01-05\n\n'
        '[[job]]\nsources = ["*.txt", "*.pdf"]\naudiences = ["principal"]\nformats = ["pdf"]\n'
    )
    with client_for(WebConfig(workspace=workspace, manifest=manifest)) as c:
        assert "No report yet" in c.get("/batch").text
        with output_lock(project / "out", wait=False):
            held = c.post("/batch/run", data={"csrf": csrf(c, "/batch")})
            assert held.status_code == 409
            assert "another briefgen batch" in held.text
        assert c.post("/batch/run", data={"csrf": csrf(c, "/batch")}).status_code == 303
        runner = c.app.state.web.batch  # type: ignore[attr-defined]
        for _ in range(1200):  # bounded: 120 s
            if not runner.running:
                break
            time.sleep(0.1)
        page = html.unescape(c.get("/batch").text)
    assert runner.last.exit_code == 1, runner.last.lines
    assert re.search(
        r"<strong>1</strong> built, <strong>0</strong> unchanged,\s*<strong>1</strong> failed", page
    )
    assert "north-korean-security/principal.pdf" in page
    assert "not a valid PDF file" in page
