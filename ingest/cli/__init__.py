"""The `newsfacts` command line: the only place that prints; thin over the library.

`common` holds the options and helpers every command shares; the commands are grouped by
audience (`ingesting`, `sources`, `research`, `analyzing`, `queue`, `database`); `app`
builds the Typer app and registers every command. No module here imports `app`.
"""
