"""Limits for rendering a template: time, size of what it makes, depth.

A template is text anyone can paste in (a colleague's, a forum's). Jinja's
sandbox keeps it away from Python internals but not from the machine's
memory and time: ``'x' * 10**9`` asks for a gigabyte, two nested loops over
``range(100000)`` run for hours, a macro that calls itself ends in
``RecursionError``. Here:

- an immutable sandbox: a template cannot change what it is given
  (``mentor.clear()``, ``programs.append(…)``);
- arithmetic that would make a huge string, list or number is refused
  before it is computed (a ``~`` join right after: its parts are already
  within the limit); so is a call or filter given a huge number
  (``'x'.ljust(10**9)``, ``'x'|center(10**9)``) or a huge string;
- ``range`` is capped, the output is counted as it is produced, and a time
  budget is checked on every template line (a trace function on the
  template's own frames only) and on every call;
- too deep macro recursion is a plain problem.
"""

from __future__ import annotations

import functools
import math
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 200_000  # characters one template may make (a long email is 20,000)
MAX_RANGE = 10_000
MAX_SECONDS = 2.0
MAX_NUMBER_BITS = 256
_TEMPLATE_FILE = "<template>"


class TemplateLimit(Exception):
    """A template went past a limit; the message says which, for the user."""


_too_big = f"It would make more than {MAX_OUTPUT:,} characters; shorten what it repeats."


def _size(value: object) -> int | None:
    if isinstance(value, str | bytes | list | tuple):
        return len(value)
    return None


def _check_value(value: object) -> None:
    size = _size(value)
    if size is not None and size > MAX_OUTPUT:
        raise TemplateLimit(_too_big)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT:
        raise TemplateLimit(
            f"The number {value if value.bit_length() < 64 else 'given'} is too large "
            f"for a template (at most {MAX_OUTPUT:,})."
        )


class _Budget(threading.local):
    """The running render's deadline, per thread (a worker renders)."""

    deadline = math.inf

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(
                f"It takes longer than {MAX_SECONDS:g} seconds to fill in; a loop may "
                "repeat too often."
            )


_budget = _Budget()


def _limited_range(*args: int) -> range:
    for arg in args:
        _check_value(arg)
    made = range(*args)
    if len(made) > MAX_RANGE:
        raise TemplateLimit(f"range() may count at most {MAX_RANGE:,} steps in a template.")
    return made


def _limited_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def limited(*args: Any, **kwargs: Any) -> Any:
        _budget.check()
        for value in (*args, *kwargs.values()):
            _check_value(value)
        if function.__name__ == "do_replace" and len(args) >= 4:  # (env/ctx, s, old, new)
            _, text, old, new = args[:4]
            grows = str(text).count(str(old)) * len(str(new)) if old else len(str(new))
            if grows > MAX_OUTPUT:
                raise TemplateLimit(_too_big)
        result = function(*args, **kwargs)
        _check_value(result)
        return result

    return limited


class _CheckedConcat(CodeGenerator):
    """``a ~ b`` is compiled to a join no sandbox hook sees; its result goes
    through ``checked_concat``, so ``{% set a = a ~ a %}`` cannot double a
    string past the limit line after line."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+"})
    code_generator_class = _CheckedConcat

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _limited_range
        # namespace() is the one way to grow a value across loop turns.
        self.globals.pop("namespace", None)
        self.filters = {name: _limited_filter(f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _budget.check()
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                size = _size(sized)
                if size is not None and isinstance(times, int) and size * times > MAX_OUTPUT:
                    raise TemplateLimit(_too_big)
        elif (
            operator == "**"
            and isinstance(left, int | float)
            and isinstance(right, int | float)
            and abs(left) > 1
            and right * math.log2(abs(left)) > MAX_NUMBER_BITS
        ):
            raise TemplateLimit("A power in it is too large for a template.")
        elif operator == "+":
            sizes = (_size(left), _size(right))
            if None not in sizes and sum(s or 0 for s in sizes) > MAX_OUTPUT:
                raise TemplateLimit(_too_big)
        return super().call_binop(context, operator, left, right)

    def checked_concat(self, joined: str) -> str:
        _budget.check()
        _check_value(joined)
        return joined

    def call(self, context: Any, obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget.check()
        for value in (*args, *kwargs.values()):
            _check_value(value)
        result = super().call(context, obj, *args, **kwargs)
        _check_value(result)
        return result


def _line_tracer(frame: FrameType, event: str, arg: object) -> Any:
    if event == "line":
        _budget.check()
    return _line_tracer


def render_limited(template: Template, context: dict[str, Any]) -> str:
    """Render with the limits above; raises ``TemplateLimit``."""
    previous = sys.gettrace()

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        if frame.f_code.co_filename == _TEMPLATE_FILE:
            return _line_tracer
        # Whoever traced before (a debugger, coverage) keeps tracing the rest.
        return previous(frame, event, arg) if previous is not None else None  # type: ignore[arg-type]

    _budget.deadline = time.monotonic() + MAX_SECONDS
    sys.settrace(tracer)
    try:
        return "".join(_counted(template.generate(context)))
    except RecursionError:
        raise TemplateLimit(
            "A macro in it calls itself again and again; give it a way to stop."
        ) from None
    finally:
        sys.settrace(previous)
        _budget.deadline = math.inf


def _counted(chunks: Iterator[str]) -> Iterator[str]:
    made = 0
    for chunk in chunks:
        made += len(chunk)
        if made > MAX_OUTPUT:
            raise TemplateLimit(_too_big)
        yield chunk
