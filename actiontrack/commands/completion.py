"""Shell completion: commands and options from click, plans, themes and refs from the store.

`actiontrack completion bash` prints the script to source.  While completing, click
parses the line without running any command, so the store is found from the line's own
--store (or ACTIONTRACK_STORE, or the default), read only, and any trouble reading it
means no suggestions rather than an error in the middle of someone's typing.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import click
from click.shell_completion import CompletionItem

from actiontrack.domain.storedata import StoreData

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_ACTIONTRACK_COMPLETE"


def _from_store(ctx: click.Context, pick: Callable[[StoreData], list[str]]) -> list[str]:
    """What `pick` takes from the store the line names; nothing if it cannot be read."""
    from actiontrack.commands.common import default_store
    from actiontrack.store import open_repository

    root = ctx.find_root()
    path = root.params.get("store") or os.environ.get("ACTIONTRACK_STORE") or default_store()
    try:
        repo = open_repository(path)
        try:
            return pick(repo.load())  # while the store is open: a database's items are read lazily
        finally:
            repo.close()
    except Exception:  # noqa: BLE001 - a half-typed line must never end in a traceback
        return []


def _matching(values: list[str], incomplete: str) -> list[CompletionItem]:
    folded = incomplete.casefold()
    return [CompletionItem(v) for v in sorted(values) if v.casefold().startswith(folded)]


def complete_refs(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    resolutions = ctx.parent is not None and ctx.parent.info_name == "resolution"
    return _matching(_from_store(ctx, lambda d: list(d.resolutions if resolutions else d.actions)), incomplete)


def complete_themes(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return _matching(_from_store(ctx, lambda d: [t.key for t in d.themes.values()]), incomplete)


def complete_plans(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return _matching(_from_store(ctx, lambda d: list(d.plans)), incomplete)


@click.command()
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell):
    """Print the shell completion script for bash, zsh or fish.

    \b
    Example:
      eval "$(actiontrack completion bash)"          # in ~/.bashrc
      actiontrack completion fish > ~/.config/fish/completions/actiontrack.fish
    """
    from click.shell_completion import get_completion_class

    from actiontrack.commands import cli

    cls = get_completion_class(shell)
    assert cls is not None  # every choice is a shell click knows
    click.echo(cls(cli, {}, "actiontrack", COMPLETE_VAR).source())
