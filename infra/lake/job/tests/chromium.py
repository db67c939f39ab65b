"""Renders a page in Debian's headless Chromium over the DevTools pipe: console errors, uncaught exceptions and
failed loads are collected, and a full-page screenshot is taken once the page is drawn.

No driver library: the DevTools protocol over --remote-debugging-pipe is NUL-terminated JSON on fds 3 and 4.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
)


@dataclass
class Rendered:
    errors: list[str] = field(default_factory=list)  # console.error, uncaught exceptions, failed loads
    values: dict[str, object] = field(default_factory=dict)  # results of the page expressions asked for


def chromium_binary() -> str:
    found = os.environ.get("LAKE_CHROMIUM") or shutil.which("chromium")
    if not found:
        raise AssertionError("chromium not found: run the tests through tools/scripts/test-python.sh "
                             "(tools/lake/install.sh installs Debian's chromium)")
    return found


class _DevTools:
    def __init__(self, to_browser: int, from_browser: int) -> None:
        self.to_browser, self.from_browser = os.fdopen(to_browser, "wb"), os.fdopen(from_browser, "rb")
        self.next_id, self.buffer, self.events = 0, b"", []  # type: ignore[var-annotated]

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self.from_browser.fileno(), 1 << 20)
            if not chunk:
                raise ConnectionError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: str | None = None, timeout: float = 30, **params: object) -> dict:
        self.next_id += 1
        request: dict[str, object] = {"id": self.next_id, "method": method, "params": params}
        if session:
            request["sessionId"] = session
        self.to_browser.write(json.dumps(request).encode() + b"\0")
        self.to_browser.flush()
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while True:
            message = self._read_message(deadline)
            if message.get("method") == method:
                return message
            self.events.append(message)


def _errors(events: list[dict]) -> list[str]:
    out = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append("console.error: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            out.append("uncaught: " + str(details.get("exception", {}).get("description", details.get("text"))))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            out.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}".strip())
    return out


def render_page(page: Path, screenshot: Path, ready: str, values: dict[str, str], width: int = 1280) -> Rendered:
    """Opens `page`, waits until the JS expression `ready` is true, evaluates `values` and screenshots it all."""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()
    profile = tempfile.mkdtemp(prefix="lake-chromium-")
    process = subprocess.Popen(
        [chromium_binary(), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        pass_fds=(3, 4),
        preexec_fn=lambda: _pipe_fds(to_browser_r, from_browser_w),  # noqa: PLW1509 (no threads here)
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(to_browser_r)
    os.close(from_browser_w)
    devtools = _DevTools(to_browser_w, from_browser_r)
    closed = False
    try:
        target = devtools.call("Target.createTarget", url="about:blank")["targetId"]
        session = devtools.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            devtools.call(f"{domain}.enable", session)
        devtools.call("Emulation.setDeviceMetricsOverride", session, width=width, height=900, deviceScaleFactor=1,
                      mobile=False)
        devtools.call("Page.navigate", session, url=page.resolve().as_uri())
        devtools.wait_for("Page.loadEventFired")
        deadline = time.monotonic() + 30
        while not _evaluate(devtools, session, ready):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the page never became ready ({ready})")
            time.sleep(0.1)
        result = Rendered(values={name: _evaluate(devtools, session, expr) for name, expr in values.items()})
        height = int(_evaluate(devtools, session, "document.documentElement.scrollHeight"))
        devtools.call("Emulation.setDeviceMetricsOverride", session, width=width, height=height, deviceScaleFactor=1,
                      mobile=False)
        shot = devtools.call("Page.captureScreenshot", session, format="png", captureBeyondViewport=True)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        result.errors = _errors(devtools.events)
        devtools.call("Browser.close")
        closed = True
        return result
    finally:
        if not closed:
            process.kill()
        process.wait(timeout=30)
        shutil.rmtree(profile, ignore_errors=True)


def _pipe_fds(commands: int, answers: int) -> None:
    """In the child: Chromium reads DevTools commands on fd 3 and writes answers on fd 4."""
    high_commands, high_answers = os.dup(commands), os.dup(answers)  # out of the way of 3 and 4 first
    os.dup2(high_commands, 3)
    os.dup2(high_answers, 4)


def _evaluate(devtools: _DevTools, session: str, expression: str) -> object:
    answer = devtools.call("Runtime.evaluate", session, expression=expression, returnByValue=True)
    if "exceptionDetails" in answer:
        raise RuntimeError(f"{expression}: {answer['exceptionDetails'].get('text')}")
    return answer["result"].get("value")
