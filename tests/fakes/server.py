"""Run the real ASGI app under uvicorn on 127.0.0.1 port 0, in a thread (with its lifespan)."""
from __future__ import annotations

import contextlib
import threading
import time

import uvicorn


class ServerThread:
    def __init__(self, app, host: str = "127.0.0.1"):
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=0, log_level="warning", lifespan="on",
                                                    access_log=False, proxy_headers=False))
        # proxy_headers=False as `madoguchi serve` and the Procfile: the app trusts MADOGUCHI_TRUSTED_PROXIES only.
        self.thread = threading.Thread(target=self.server.run, name="madoguchi-server", daemon=True)
        self.port = 0

    def start(self, timeout: float = 20.0) -> "ServerThread":
        self.thread.start()
        deadline = time.monotonic() + timeout
        # uvicorn exposes no event for "listening"; poll its flag, bounded by the timeout.
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("server thread exited during startup")
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, timeout: float = 20.0):
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class serve_app:
    """``with serve_app(settings) as running``: the madoguchi app for ``settings`` served on
    loopback, with ``running.runtime`` set so tests can reach its log and dedupe state."""

    def __init__(self, settings):
        from channels.app import create_app

        self.app = create_app(settings)
        self.thread = ServerThread(self.app)

    def __enter__(self) -> ServerThread:
        running = self.thread.start()
        running.runtime = self.app.state.runtime
        return running

    def __exit__(self, *exc):
        self.thread.stop()


@contextlib.contextmanager
def answers_held(running, seconds: float = 10):
    """While inside, every question to ``running``'s bot waits (at most ``seconds``) before it is
    answered, so a test can drive the answer deadline; on leaving, held answers go on and the
    bot answers at once again."""
    bot = running.runtime.bot
    release, original = threading.Event(), bot.ask

    def held(*args, **kwargs):
        release.wait(seconds)
        return original(*args, **kwargs)

    bot.ask = held
    try:
        yield
    finally:
        release.set()
        bot.ask = original
