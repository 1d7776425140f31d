"""Run "A researcher's first session" of docs/cli.md and print what each command prints.

    python -m bench.first_session [--folder DIR] [--columns N]

In a fresh folder (a temporary one unless --folder) with the default database
(`newsfacts.db` there): demo, facts, claims, plot, export and serve, each printed as
`$ command` and its output (stdout and stderr, as a terminal shows them), for pasting into
the docs when the output changes. serve is started, its home page fetched and summarised
(the view and query links it lists), then stopped. Takes about a minute.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

NEWSFACTS = Path(sys.executable).parent / "newsfacts"
# The commands of the section, in its order; serve is handled apart.
COMMANDS = (
    "newsfacts demo",
    "newsfacts facts --company Chery --include-brands",
    "newsfacts claims --min-articles 2",
    'newsfacts plot --company "Chery Group" --metric exports --out chery-exports.png',
    "newsfacts export --format csv --out export",
)
SERVE = "newsfacts serve"  # on its default port, 8001, when that is free
SERVE_PORT = 8001


def _environment(columns: int) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFACTS_")}
    environment.update(COLUMNS=str(columns), NO_COLOR="1")
    return environment


def run(command: str, folder: Path, columns: int) -> str:
    """`command` run in `folder`; what it printed, stdout and stderr together."""
    argv = [str(NEWSFACTS), *shlex.split(command)[1:]]
    done = subprocess.run(
        argv, cwd=folder, env=_environment(columns), capture_output=False, check=False,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return done.stdout + ("" if done.returncode == 0 else f"[exit code {done.returncode}]\n")


def _port() -> tuple[int, str]:
    """serve's default port when it is free, else a free one: the port and the command."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", SERVE_PORT))
            return SERVE_PORT, SERVE
        except OSError:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
            return port, f"{SERVE} --port {port}"


def serve_home_page(folder: Path, columns: int) -> tuple[str, str]:
    """Start serve, fetch its home page, stop it: the command and what the page lists."""
    port, command = _port()
    process = subprocess.Popen(
        [str(NEWSFACTS), *shlex.split(command)[1:]], cwd=folder, env=_environment(columns),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2).text
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("serve did not start") from None
                time.sleep(0.3)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    items = re.findall(r"<li><a href=\"([^\"]+)\">([^<]+)</a>(?::\s*([^<]*))?</li>", page)
    listed = "\n".join(
        html.unescape(f"{href}  {title}: {note.strip()}") for href, title, note in items
    )
    return command, f"{output}--- home page links ---\n{listed}\n"


def main() -> None:
    """Run the session in the folder and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="run here (must not hold newsfacts.db)")
    parser.add_argument("--columns", type=int, default=100, help="terminal width")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsfacts-first-session-") as scratch:
        folder = arguments.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / "newsfacts.db").exists():
            raise SystemExit(f"{folder / 'newsfacts.db'} exists: use an empty folder")
        for command in COMMANDS:
            print(f"$ {command}\n{run(command, folder, arguments.columns)}", flush=True)
        plot = folder / "chery-exports.png"
        print(f"(chery-exports.png: {plot.stat().st_size if plot.exists() else 0} bytes)\n")
        command, output = serve_home_page(folder, arguments.columns)
        print(f"$ {command}\n{output}")


if __name__ == "__main__":
    main()
