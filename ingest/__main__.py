"""The `newsfacts` command (also `python -m ingest`).

The command line is imported when the command runs, not when this module is: processes the
pipeline starts re-import the script they were started from, and should load only the
stages they run, not every command.
"""

from __future__ import annotations


def main() -> None:
    """Console-script entry point."""
    from ingest.cli.app import app

    app()


if __name__ == "__main__":
    main()
