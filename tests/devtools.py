"""Chromium driven over DevTools on a pipe, for the report tests and the docs screenshots."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


class DevTools:
    """Chromium driven over `--remote-debugging-pipe` (fd 3 in, fd 4 out; NUL-separated JSON):
    no port, no network, page scripts stay blocked by the report's CSP (DevTools evaluates
    outside it)."""

    def __init__(self, tmp_path: Path):
        import os

        cmd_r, self._cmd_w = os.pipe()
        self._res_r, res_w = os.pipe()

        def child_fds():
            # Through fresh descriptors: dup2 onto itself would keep close-on-exec.
            read, write = os.dup(cmd_r), os.dup(res_w)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.proc = subprocess.Popen(
            [
                BROWSER,
                *FLAGS,
                f"--user-data-dir={tmp_path / 'devtools'}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            preexec_fn=child_fds,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(cmd_r)
        os.close(res_w)
        self._buffer = b""
        self._id = 0

    def call(self, method: str, session: str | None = None, **params):
        import os

        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._cmd_w, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._res_r, 65536)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                return reply["result"]

    def open(self, page: Path, width: int) -> str:
        import time

        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Page.navigate", session, url=page.resolve().as_uri())
        for _ in range(100):
            if self.value(session, "document.readyState") == "complete":
                return session
            time.sleep(0.1)
        raise TimeoutError(page)

    def value(self, session: str, expression: str):
        result = self.call("Runtime.evaluate", session, expression=expression, returnByValue=True)
        return result["result"].get("value")

    def close(self):
        self.proc.kill()
        self.proc.wait(timeout=30)

    def screenshot(self, session: str, element_id: str, out: Path) -> Path:
        """A PNG of one element of the page (a theme's card)."""
        import base64

        box = self.value(
            session,
            f"(() => {{const r = document.getElementById({json.dumps(element_id)})"
            ".getBoundingClientRect(); return [r.x, r.y + window.scrollY, r.width, r.height];})()",
        )
        x, y, width, height = box
        shot = self.call(
            "Page.captureScreenshot",
            session,
            format="png",
            captureBeyondViewport=True,
            clip={"x": x - 8, "y": y - 8, "width": width + 16, "height": height + 16, "scale": 1},
        )
        Path(out).write_bytes(base64.b64decode(shot["data"]))
        return Path(out)
