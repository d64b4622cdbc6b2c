"""The pytest plugin, loaded as installed (entry point ``pytest11``), run with ``pytester``."""

from __future__ import annotations

from importlib.metadata import entry_points

import httpx  # noqa: F401  # imported before pytester's in-process runs, which drop modules they import
import pytest
import requests  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

_INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""

ORG = "62edc503a5aec7978306d03b"  # the default data set's first org (admin@example.com is its admin)


@pytest.fixture
def tester(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(_INI)
    return pytester


def test_installing_the_package_registers_the_plugin(tester: pytest.Pytester) -> None:
    [entry] = [entry for entry in entry_points(group="pytest11") if entry.name == "lowcoder_fake"]
    assert entry.value == "lowcoder_fake.plugin"
    tester.makepyfile(
        """
        import lowcoder_fake.plugin

        def test_loaded(request):
            assert request.config.pluginmanager.get_plugin("lowcoder_fake") is lowcoder_fake.plugin
        """
    )
    tester.runpytest().assert_outcomes(passed=1)


def test_the_plugin_can_be_turned_off(tester: pytest.Pytester) -> None:
    tester.makepyfile("def test_it(lowcoder_fake): pass")
    result = tester.runpytest("-p", "no:lowcoder_fake")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'lowcoder_fake' not found*"])


def test_sync_tests_with_requests_httpx_and_urllib(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        f"""
        import json, threading, urllib.request
        import httpx, requests

        def test_requests(lowcoder_fake):
            admin = lowcoder_fake.given_admin(org_name="Acme")
            answer = requests.put(
                f"{{lowcoder_fake.url}}/api/organizations/{{admin.org_id}}/update",
                json={{"orgName": "Acme Inc"}}, cookies=admin.cookies,
            )
            assert answer.json()["success"] is True
            lowcoder_fake.journal.assert_called(
                "updateOrganization", times=1, org_id=admin.org_id, body={{"orgName": "Acme Inc"}}, status=200
            )
            assert lowcoder_fake.store.org(admin.org_id).name == "Acme Inc"

        def test_httpx(lowcoder_fake):
            session = lowcoder_fake.sign_in("admin@example.com")
            with httpx.Client(base_url=lowcoder_fake.url, headers=session.headers) as client:
                assert client.get("/api/users/me").json()["data"]["isAnonymous"] is False
            lowcoder_fake.journal.assert_called("getUserProfile", user_id=lowcoder_fake.store.users()[0].id)

        def test_urllib_in_the_background(lowcoder_fake):
            url = lowcoder_fake.url + "/api/configs"
            threading.Timer(0.05, lambda: urllib.request.urlopen(url, timeout=5).read()).start()
            [call] = lowcoder_fake.journal.wait_for("listConfigs", timeout=5)
            assert call.status == 200

        def test_url_has_no_trailing_slash(lowcoder_fake):
            assert lowcoder_fake.url.startswith("http://127.0.0.1:") and not lowcoder_fake.url.endswith("/")
            assert lowcoder_fake.org("{ORG}")["name"] == "Elliott-Hendrix"
        """
    )
    tester.runpytest().assert_outcomes(passed=4)


def test_async_tests_with_aiohttp_and_httpx(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import asyncio
        import aiohttp, httpx, pytest
        from aiohttp import web

        async def test_a_service_under_pytest_aiohttp_calls_the_fake(lowcoder_fake, aiohttp_client):
            admin = lowcoder_fake.given_admin()

            async def rename(request):  # the user's own service, calling Lowcoder
                async with aiohttp.ClientSession(cookies=admin.cookies) as session:
                    url = f"{lowcoder_fake.url}/api/organizations/{admin.org_id}/update"
                    async with session.put(url, json=await request.json()) as answer:
                        return web.json_response(await answer.json(), status=answer.status)

            app = web.Application()
            app.router.add_put("/rename", rename)
            client = await aiohttp_client(app)
            answer = await client.put("/rename", json={"orgName": "Acme Inc"})
            assert answer.status == 200
            lowcoder_fake.journal.assert_called("updateOrganization", times=1, body={"orgName": "Acme Inc"})

        @pytest.mark.asyncio
        async def test_httpx_async_and_waiting_without_blocking_the_loop(lowcoder_fake):
            session = lowcoder_fake.sign_in("admin@example.com")
            async with httpx.AsyncClient(base_url=lowcoder_fake.url, headers=session.headers) as client:
                async def later():
                    await asyncio.sleep(0.05)
                    await client.get("/api/users/me")
                task = asyncio.create_task(later())
                [call] = await lowcoder_fake.journal.wait_for_async("getUserProfile", timeout=5)
                await task
            assert call.user_id is not None
        """
    )
    tester.runpytest().assert_outcomes(passed=2)


def test_each_test_gets_a_clean_fake_from_the_same_server(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import requests
        urls = []

        def test_dirty(lowcoder_fake):
            urls.append(lowcoder_fake.url)
            lowcoder_fake.given_admin(org_name="Leftover")
            lowcoder_fake.faults.add(effect="malformed")
            requests.get(lowcoder_fake.url + "/api/configs")

        def test_clean(lowcoder_fake):
            urls.append(lowcoder_fake.url)
            assert [org["name"] for org in lowcoder_fake.orgs()] == ["Elliott-Hendrix", "Hendricks-Davis", "Hayes Ltd"]
            assert lowcoder_fake.faults.rules() == [] and lowcoder_fake.journal.calls() == ()
            assert urls[0] == urls[1]
        """
    )
    tester.runpytest().assert_outcomes(passed=2)


def test_marker_options(tester: pytest.Pytester) -> None:
    tester.makefile(".json", orgs='{"orgs": [{"id": "' + ORG + '", "name": "From File"}], "users": []}')
    tester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.lowcoder_fake(version="2.7.6")

        def test_module_marker(lowcoder_fake):
            assert lowcoder_fake.lowcoder_version == "2.7.6" and lowcoder_fake.fake.workspace_mode == "SAAS"

        @pytest.mark.lowcoder_fake(version="2.0.0", workspace_mode="ENTERPRISE", email_sign_up=False)
        def test_nearest_marker_wins(lowcoder_fake):
            assert lowcoder_fake.lowcoder_version == "2.0.0"
            assert lowcoder_fake.fake.workspace_mode == "ENTERPRISE" and not lowcoder_fake.fake.config.email_sign_up

        @pytest.mark.lowcoder_fake(data="orgs.json")
        def test_data_file_beside_the_test(lowcoder_fake):
            assert [org["name"] for org in lowcoder_fake.orgs()] == ["From File"]
            assert lowcoder_fake.lowcoder_version == "2.7.6"

        @pytest.mark.lowcoder_fake(seed=7)
        def test_generated_data(lowcoder_fake):
            assert lowcoder_fake.fake.data_set.source == "seed 7"

        @pytest.mark.lowcoder_fake(colour="red")
        def test_unknown_option(lowcoder_fake):
            pass

        @pytest.mark.lowcoder_fake(strict="no")
        def test_bad_value(lowcoder_fake):
            pass

        @pytest.mark.lowcoder_fake("2.7.6")
        def test_positional_version(lowcoder_fake):
            pass
        """
    )
    result = tester.runpytest()
    result.assert_outcomes(passed=4, errors=3)
    result.stdout.fnmatch_lines(
        [
            "*unknown option 'colour' in @pytest.mark.lowcoder_fake; known: data, email_sign_up, seed, strict, *",
            "*@pytest.mark.lowcoder_fake(strict='no'): expected True or False*",
            "*@pytest.mark.lowcoder_fake takes keyword arguments only*got ('2.7.6',)*",
        ]
    )


def test_the_marker_is_registered(tester: pytest.Pytester) -> None:
    result = tester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.lowcoder_fake(version=None, data=None, seed=None, strict=True*"])
    tester.makepyfile("import pytest\n@pytest.mark.lowcoder_fake(strict=False)\ndef test_it(): pass")
    tester.runpytest("--strict-markers").assert_outcomes(passed=1)


def test_command_line_and_ini_defaults(tester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    tester.makeini(_INI + "lowcoder_fake_version = 2.4.0\nlowcoder_fake_data = data/orgs.json\n")
    data = tester.mkdir("data")
    data.joinpath("orgs.json").write_text('{"orgs": [{"name": "From Ini"}], "users": []}')
    tester.path.joinpath("other.json").write_text('{"orgs": [{"name": "From Option"}], "users": []}')
    tester.makepyfile(
        """
        import os, pytest

        def test_defaults(lowcoder_fake):
            assert (lowcoder_fake.lowcoder_version, lowcoder_fake.orgs()[0]["name"]) == tuple(
                os.environ["EXPECTED"].split(",")
            )

        @pytest.mark.lowcoder_fake(version="2.7.6")
        def test_the_marker_beats_them(lowcoder_fake):
            assert lowcoder_fake.lowcoder_version == "2.7.6"
        """
    )
    monkeypatch.setenv("EXPECTED", "2.4.0,From Ini")
    tester.runpytest().assert_outcomes(passed=2)
    monkeypatch.setenv("EXPECTED", "2.5.1,From Option")
    tester.runpytest("--lowcoder-fake-version", "2.5.1", "--lowcoder-fake-data", "other.json").assert_outcomes(passed=2)


def test_a_bad_version_fails_the_test_at_setup(tester: pytest.Pytester) -> None:
    tester.makepyfile("def test_it(lowcoder_fake): pass")
    result = tester.runpytest("--lowcoder-fake-version", "9.9.9")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*9.9.9*"])


def test_a_failed_assertion_shows_the_near_misses(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import requests

        def test_rename(lowcoder_fake):
            admin = lowcoder_fake.given_admin(org_name="Acme")
            url = f"{lowcoder_fake.url}/api/organizations/{admin.org_id}/update"
            requests.put(url, json={"orgName": "Acme Inc"}, cookies=admin.cookies)
            lowcoder_fake.journal.assert_called("updateOrganization", times=1, body={"orgName": "Acme"})
        """
    )
    result = tester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            ">       lowcoder_fake.journal.assert_called(*",
            "E       lowcoder_fake.assertions.CallAssertionError: lowcoder-fake: expected updateOrganization with body"
            " containing {'orgName': 'Acme'} to be called once; it was not called.",
            "E       Closest calls:",
            "E         #1 PUT /api/organizations/*/update -> 200 updateOrganization [[]user *]",
            "E             body.orgName: expected 'Acme', got 'Acme Inc'",
            "test_a_failed_assertion_shows_the_near_misses.py:7: CallAssertionError",
        ]
    )
    result.stdout.no_fnmatch_line("*assertions.py*")  # the traceback ends at the test's line


def test_strict_mode_fails_the_test_at_teardown(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import pytest, requests

        def test_wrong_path(lowcoder_fake):
            requests.get(lowcoder_fake.url + "/api/organisations/x")

        @pytest.mark.lowcoder_fake(strict=False)
        def test_wrong_path_allowed(lowcoder_fake):
            requests.get(lowcoder_fake.url + "/api/organisations/x")

        def test_error_inside_the_fake(lowcoder_fake):
            lowcoder_fake.journal.record(
                operation="getUserProfile", method="GET", path="/api/users/me", path_params={}, query={},
                headers={}, body=None, raw_body="", user_id=None, status=500, response=None, fault=None,
                duration_ms=1.0, fake_error="Traceback (most recent call last):\\nKeyError: 'boom'",
            )
        """
    )
    result = tester.runpytest()
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_wrong_path*",
            "lowcoder-fake (strict): of the calls made to the fake, 1 matched no Lowcoder route:",
            "  #1 GET /api/organisations/x -> 401 (no Lowcoder route)",
            "A call that matches no route would not be served by a real Lowcoder either*",
            "Allow such calls with @pytest.mark.lowcoder_fake(strict=False).",
            "*ERROR at teardown of test_error_inside_the_fake*",
            "*1 failed inside the fake:",
            "*KeyError: 'boom'",
        ]
    )


def test_strict_mode_can_be_turned_off_in_the_ini(tester: pytest.Pytester) -> None:
    tester.makeini(_INI + "lowcoder_fake_strict = false\n")
    tester.makepyfile(
        """
        import pytest, requests

        def test_wrong_path(lowcoder_fake):
            requests.get(lowcoder_fake.url + "/nowhere")

        @pytest.mark.lowcoder_fake(strict=True)
        def test_marker_turns_it_on(lowcoder_fake):
            requests.get(lowcoder_fake.url + "/nowhere")
        """
    )
    tester.runpytest().assert_outcomes(passed=2, errors=1)


def test_a_failed_test_report_has_the_journal_with_secrets_masked(tester: pytest.Pytester) -> None:
    tester.makepyfile(
        """
        import requests

        def test_passes(lowcoder_fake):
            requests.get(lowcoder_fake.url + "/api/configs")

        def test_fails(lowcoder_fake):
            password = "-".join(["Admin", "Password", "1"])  # so the source shown does not spell it
            login = {"loginId": "admin@example.com", "password": password, "register": "false", "authId": "EMAIL"}
            answer = requests.post(lowcoder_fake.url + "/api/auth/form/login", json=login)
            requests.get(lowcoder_fake.url + "/api/users/me", cookies=answer.cookies, headers={"X-Trace": "t-1"})
            requests.get(lowcoder_fake.url + "/api/not/served")
            assert False, "the client misbehaved"
        """
    )
    result = tester.runpytest()
    result.assert_outcomes(passed=1, failed=1)  # a failed test gets no strict error on top
    result.stdout.fnmatch_lines(
        [
            "*- lowcoder-fake journal -*",
            "Lowcoder 2.1.6 fake at http://127.0.0.1:*: 3 calls (secrets masked)",
            "#1 POST /api/auth/form/login -> 200 loginWithUserPassword",
            '    body: {"loginId": "admin@example.com", "password": "***", "register": "false", "authId": "EMAIL"}',
            '    response: {"code": 1, "message": "", "data": true, "success": true}',
            "#2 GET /api/users/me -> 200 getUserProfile [[]user *]",
            "    headers: X-Trace: t-1; Cookie: LOWCODER_CE_SELFHOST_TOKEN=***",
            "#3 GET /api/not/served -> 401 (no Lowcoder route)",
            "*short test summary info*",
        ]
    )
    assert "Admin-Password-1" not in result.stdout.str()
    assert result.stdout.str().count("lowcoder-fake journal") == 1  # none for the test that passed
    assert "/api/configs" not in result.stdout.str()


def test_xdist_workers_each_run_their_own_fake(tester: pytest.Pytester) -> None:
    seen = tester.mkdir("seen")
    tester.makepyfile(
        f"""
        import os, pathlib, pytest, requests

        @pytest.mark.parametrize("n", range(8))
        def test_many(lowcoder_fake, n):
            admin = lowcoder_fake.given_admin(org_name=f"Org {{n}}")
            url = f"{{lowcoder_fake.url}}/api/organizations/{{admin.org_id}}/update"
            assert requests.put(url, json={{"orgName": f"Renamed {{n}}"}}, cookies=admin.cookies).status_code == 200
            lowcoder_fake.journal.assert_called("updateOrganization", times=1)
            assert len(lowcoder_fake.journal.calls()) == 1
            worker = os.environ["PYTEST_XDIST_WORKER"]
            pathlib.Path({str(seen)!r}, f"{{worker}}-{{n}}").write_text(lowcoder_fake.url)
        """
    )
    tester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider").assert_outcomes(passed=8)
    urls = {path.name.split("-")[0]: path.read_text() for path in seen.iterdir()}
    assert len(list(seen.iterdir())) == 8
    assert set(urls) == {"gw0", "gw1"} and len(set(urls.values())) == 2
