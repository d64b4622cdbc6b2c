"""FakeClient: the fixture's Python API over HTTP, for a fake running elsewhere.

For tests against ``lowcoder-fake serve`` in another process or a
container::

    fake = FakeClient("http://127.0.0.1:8080")
    fake.reset()
    admin = fake.given_admin(org_name="Acme")
    ...  # the code under test calls fake.url with admin.cookies
    fake.journal.assert_called("updateOrganization", times=1, body={"orgName": "Acme Inc"})

Everything goes through the control endpoint ``/__fake__`` with the
standard library's ``urllib``. The journal's calls come back as the same
:class:`~lowcoder_fake.calls.Call` records, and the assertions are the same
code as in-process. Fault rules come back as their JSON (``{"id", "fired",
…}``), being snapshots rather than the live rules.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any, Final

from lowcoder_fake.assertions import CallAssertions
from lowcoder_fake.calls import Call, CallFilter
from lowcoder_fake.errors import FakeError, InvalidInput
from lowcoder_fake.facade import DEFAULT_PASSWORD, FakeFacade, Session, user_description

__all__ = ["FakeClient", "RemoteFaults", "RemoteJournal"]

_CONTROL: Final = "/__fake__"
_PREFIX: Final = "lowcoder-fake: "
_POLL_S: Final = 0.02  # how often waiting asks for news


class _Control:
    """JSON requests to one fake's control endpoint; its refusals raised as lowcoder-fake errors."""

    def __init__(self, url: str, timeout: float, token: str | None) -> None:
        self.url = url
        self.timeout = timeout
        self._headers = {"Authorization": f"Bearer {token}"} if token is not None else {}

    def request(
        self, method: str, path: str, body: Any = None, query: Mapping[str, str] | None = None
    ) -> tuple[int, Any]:
        target = f"{self.url}{_CONTROL}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(target, data=data, method=method, headers=self._headers)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            status, answer = error.code, _json(error.read())
            error.close()
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FakeError(f"lowcoder-fake: cannot reach the fake at {self.url}: {reason}") from None
        if status == 404:
            return status, answer
        message = answer.get("error") if isinstance(answer, dict) else None
        field = answer.get("field") if isinstance(answer, dict) else None
        if status == 400 and isinstance(message, str) and isinstance(field, str):
            problem = message.removeprefix(_PREFIX).removeprefix(f"{field}: ")
            raise InvalidInput(field, problem)
        if isinstance(message, str) and message.startswith(_PREFIX):
            raise FakeError(f"{message} (HTTP {status} to {method} {target})")
        raise FakeError(f"lowcoder-fake: {method} {target} answered HTTP {status}: {answer!r}")

    def call(self, method: str, path: str, body: Any = None, query: Mapping[str, str] | None = None) -> Any:
        """The answer's JSON; a 404 (no such route or record) is an error here."""
        status, answer = self.request(method, path, body, query)
        if status == 404:
            message = answer.get("error") if isinstance(answer, dict) else answer
            raise FakeError(str(message or f"lowcoder-fake: {method} {path} not found at {self.url}"))
        return answer


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")


class RemoteJournal(CallAssertions):
    """The journal of a fake elsewhere: the same queries and assertions as the local one."""

    def __init__(self, control: _Control) -> None:
        self._control = control

    def calls(self, selection: CallFilter | None = None) -> tuple[Call, ...]:
        query: dict[str, str] = {}
        if selection is not None:
            for name, value in (
                ("operation", selection.operation),
                ("method", selection.method),
                ("path", selection.path),
                ("orgId", selection.org_id),
                ("since", selection.since),
                ("limit", selection.limit),
            ):
                if value is not None:
                    query[name] = str(value)
        answer = self._control.call("GET", "/calls", query=query)
        return tuple(Call.from_json(entry) for entry in answer["calls"])

    async def _calls_async(self, selection: CallFilter | None = None) -> tuple[Call, ...]:
        return await asyncio.to_thread(self.calls, selection)

    def clear(self) -> None:
        """Empty the journal."""
        self._control.call("DELETE", "/calls")

    @property
    def dropped(self) -> int:
        """How many of the oldest calls the fake dropped to stay within its journal limit."""
        return int(self._control.call("GET", "/calls", query={"limit": "0"})["dropped"])

    def __len__(self) -> int:
        return len(self.calls())

    # Over HTTP there is no news to wait on: waiting polls.

    def _journal_version(self) -> int:
        return 0

    def _await_change(self, version: int, timeout: float) -> None:
        time.sleep(min(_POLL_S, timeout))

    async def _await_change_async(self, version: int, timeout: float) -> None:
        await asyncio.sleep(min(_POLL_S, timeout))


class RemoteFaults:
    """The fault rules of a fake elsewhere; rules come back as JSON snapshots."""

    def __init__(self, control: _Control) -> None:
        self._control = control

    def add(self, rule: Mapping[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Add a rule (its JSON form, or keyword arguments; ``delay_ms`` may be spelled so); returns it with ``id``."""
        given = dict(rule or {})
        given.update({_camel(name): value for name, value in fields.items()})
        answer: dict[str, Any] = self._control.call("POST", "/faults", given)
        return answer

    def rules(self) -> list[dict[str, Any]]:
        """The rules in the order added, each with how often it ``fired``."""
        answer = self._control.call("GET", "/faults")
        return list(answer["faults"])

    def get(self, rule_id: str) -> dict[str, Any] | None:
        return next((rule for rule in self.rules() if rule["id"] == rule_id), None)

    def remove(self, rule_id: str) -> bool:
        """Remove one rule; False when there is none with that id."""
        status, _ = self._control.request("DELETE", f"/faults/{urllib.parse.quote(rule_id, safe='')}")
        return status != 404

    def clear(self) -> None:
        """Remove every rule (calls held by a ``hang`` rule go on)."""
        self._control.call("DELETE", "/faults")

    def release(self, rule_id: str) -> bool:
        """Let the calls a ``hang`` rule holds go on; False when there is no such rule."""
        status, _ = self._control.request("POST", f"/faults/{urllib.parse.quote(rule_id, safe='')}/release")
        return status != 404


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class FakeClient(FakeFacade):
    """A fake running elsewhere, driven over its control endpoint.

    ``url`` is the one ``lowcoder-fake serve`` printed; ``control_token`` the
    one it was given with ``--control-token``, if any (sent as
    ``Authorization: Bearer``); ``timeout`` bounds each control call, in seconds.
    """

    def __init__(self, url: str, *, control_token: str | None = None, timeout: float = 10.0) -> None:
        self._url = url.rstrip("/")
        self._control = _Control(self._url, timeout, control_token)
        self._journal = RemoteJournal(self._control)
        self.faults = RemoteFaults(self._control)

    def __repr__(self) -> str:
        return f"FakeClient({self._url!r})"

    @property
    def url(self) -> str:
        return self._url

    @property
    def journal(self) -> RemoteJournal:
        return self._journal

    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "lowcoderVersion": …}``; raises :class:`FakeError` when the fake cannot be reached."""
        answer: dict[str, Any] = self._control.call("GET", "/health")
        return answer

    @property
    def lowcoder_version(self) -> str:
        return str(self.health()["lowcoderVersion"])

    def wait_until_up(self, timeout: float = 10.0) -> None:
        """Wait for the fake to answer (a container starting, say); raises :class:`FakeError` after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.health()
                return
            except FakeError:
                if time.monotonic() >= deadline:
                    raise
            time.sleep(0.05)

    # -- state -------------------------------------------------------------------------

    def add_org(self, name: str, **fields: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self._control.call("POST", "/orgs", {**fields, "name": name})
        return answer

    def add_user(
        self,
        email: str,
        password: str = DEFAULT_PASSWORD,
        *,
        name: str | None = None,
        orgs: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        description = user_description(email, password, name=name, orgs=orgs)
        answer: dict[str, Any] = self._control.call("POST", "/users", description)
        return answer

    def sign_in(self, email: str | None = None, *, user_id: str | None = None) -> Session:
        if (email is None) == (user_id is None):
            raise InvalidInput("email", "give exactly one of email and userId")
        body = {"email": email} if email is not None else {"userId": user_id}
        answer = self._control.call("POST", "/sessions", body)
        return Session(str(answer["cookieName"]), str(answer["token"]))

    def orgs(self) -> list[dict[str, Any]]:
        return list(self._control.call("GET", "/orgs")["orgs"])

    def org(self, org_id: str) -> dict[str, Any] | None:
        status, answer = self._control.request("GET", f"/orgs/{urllib.parse.quote(org_id, safe='')}")
        return answer if status != 404 else None

    def users(self) -> list[dict[str, Any]]:
        return list(self._control.call("GET", "/users")["users"])

    def user(self, user_id: str) -> dict[str, Any] | None:
        status, answer = self._control.request("GET", f"/users/{urllib.parse.quote(user_id, safe='')}")
        return answer if status != 404 else None

    def reset(self) -> None:
        self._control.call("POST", "/reset")
