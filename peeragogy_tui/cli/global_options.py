"""Global options where people type them: ``peeragogy toc --handbook DIR`` as well as ``peeragogy --handbook DIR toc``.

Click only reads an option at the level that declares it, so the root's
``--handbook``, ``--exercises``, ``--lang`` and ``--data-dir`` said "No such
option" after a command. :class:`GlobalOptionsGroup` moves them in front of
the command before Click parses, unless the command declares an option of
that name itself (``check --handbook`` stays ``check``'s). Everything after
``--`` is left alone.

Typer 0.2x carries its own copy of Click (``typer._click``), so nothing here
imports ``click``: commands and options are told apart by what they have.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup

__all__ = ["GLOBAL_OPTIONS", "GlobalOptionsGroup", "hoist_global_options"]

GLOBAL_OPTIONS = ("--handbook", "--exercises", "--lang", "--data-dir")
"""Root options that take a value and may also be written after the command."""


def _is_option(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "option"


def _is_group(command: Any) -> bool:
    return callable(getattr(command, "get_command", None))


def _command_path(group: Any, ctx: Any, args: list[str]) -> tuple[int, Any | None]:
    """``(index of the first command word in args, the innermost command named)``."""
    root_options = {opt for param in group.params for opt in param.opts if _is_option(param)}
    takes_value = {
        opt
        for param in group.params
        if _is_option(param) and not param.is_flag and not param.count
        for opt in param.opts
    }
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--":
            return -1, None
        if word.startswith("-"):
            name = word.split("=", 1)[0]
            index += 2 if name in takes_value and "=" not in word and name in root_options else 1
            continue
        break
    if index >= len(args):
        return -1, None
    first = index
    command = group.get_command(ctx, args[index])
    index += 1
    while _is_group(command) and index < len(args) and not args[index].startswith("-"):
        inner = command.get_command(ctx, args[index])
        if inner is None:
            break
        command, index = inner, index + 1
    return first, command


def hoist_global_options(group: Any, ctx: Any, args: list[str]) -> list[str]:
    """``args`` with the global options written after the command moved in front of it."""
    first, command = _command_path(group, ctx, args)
    if command is None or first < 0:
        return args
    own = {opt for param in command.params for opt in getattr(param, "opts", ())}
    movable = {name for name in GLOBAL_OPTIONS if name not in own}
    front, rest = list(args[:first]), []
    index = first
    while index < len(args):
        word = args[index]
        if word == "--":
            rest.extend(args[index:])
            break
        name = word.split("=", 1)[0]
        if index > first and name in movable:
            if "=" in word:
                front.append(word)
                index += 1
            else:
                front.extend(args[index : index + 2])
                index += 2
            continue
        rest.append(word)
        index += 1
    return front + rest


class GlobalOptionsGroup(TyperGroup):
    """The root command group: global options are accepted after a command too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(self, ctx, list(args)))
