"""``lowcoder-fake serve``: the URL line, clean stop on signals, clear refusals."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from lowcoder_fake.cli import main


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lowcoder_fake", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = _serve("--port", "0", "--lowcoder-version", "2.7.6")
    assert process.stdout is not None
    line = process.stdout.readline()
    url = line.strip().rsplit(" ", 1)[-1]
    yield process, url
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_serve_prints_one_line_with_a_loopback_url(served: tuple[subprocess.Popen[str], str]) -> None:
    _, url = served
    assert url.startswith("http://127.0.0.1:")
    assert _get_json(url + "/__fake__/health") == {"status": "ok", "lowcoderVersion": "2.7.6"}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_cleanly_on_signal(served: tuple[subprocess.Popen[str], str], signum: int) -> None:
    process, url = served
    _get_json(url + "/api/users/me")
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert stdout == ""  # nothing after the URL line


def test_serve_loads_a_data_file(tmp_path: Path) -> None:
    data = tmp_path / "one.json"
    data.write_text(json.dumps({"orgs": [{"id": "0123456789abcdef01234567", "name": "Solo"}]}))
    process = _serve("--port", "0", "--data", str(data))
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        orgs = _get_json(url + "/__fake__/orgs")
        assert [org["name"] for org in orgs["orgs"]] == ["Solo"]  # type: ignore[index]
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_port_taken_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    error = capsys.readouterr().err
    assert f"port {port}" in error and "taken" in error


@pytest.mark.parametrize("version", ["3.0.0", "1.9.9", "2.8.0", "2.1", "latest", "2.1.6-beta"])
def test_unknown_or_malformed_version_is_refused(capsys: pytest.CaptureFixture[str], version: str) -> None:
    assert main(["serve", "--lowcoder-version", version]) == 2
    error = capsys.readouterr().err
    assert repr(version) in error
    assert "2.0.0 to 2.7.x" in error


def test_bad_data_file_is_refused_naming_file_and_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "bad.json"
    data.write_text(json.dumps({"orgs": [{"name": "Ok"}, {"contactName": "no name"}]}))
    assert main(["serve", "--data", str(data)]) == 2
    error = capsys.readouterr().err
    assert "bad.json" in error and "orgs[1].name" in error


def test_missing_data_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--data", str(tmp_path / "absent.json")]) == 2
    assert "absent.json" in capsys.readouterr().err


def test_port_out_of_range_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert "70000" in capsys.readouterr().err


def test_data_and_seed_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--data", "x.json", "--seed", "1"])
    assert stopped.value.code == 2


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1"])
def test_a_non_loopback_host_needs_a_control_token(capsys: pytest.CaptureFixture[str], host: str) -> None:
    assert main(["serve", "--host", host]) == 2
    assert "--control-token" in capsys.readouterr().err


def test_an_empty_control_token_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--control-token", " "]) == 2
    assert "control-token" in capsys.readouterr().err


def test_control_token_guards_every_control_call() -> None:
    process = _serve("--port", "0", "--control-token", "s3cret")
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get_json(url + "/__fake__/health")
        assert refused.value.code == 401
        request = urllib.request.Request(url + "/__fake__/health", headers={"Authorization": "Bearer s3cret"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["status"] == "ok"
        assert _get_json(url + "/api/users/me")  # the Lowcoder API needs no control token
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "s3cret" not in stderr


def test_no_control_serves_the_lowcoder_api_only() -> None:
    process = _serve("--port", "0", "--no-control")
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get_json(url + "/__fake__/health")
        assert missing.value.code == 404
        assert json.loads(missing.value.read()) == {"code": 404, "message": "Not Found", "success": False}
        assert _get_json(url + "/api/users/me")
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_a_bad_journal_limit_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--journal-limit", "0"]) == 2
    assert "journal limit" in capsys.readouterr().err
