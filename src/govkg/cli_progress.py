"""Progress on the command line: a bar redrawn in place when stderr is a terminal, plain lines otherwise.

The long commands (`govkg build`, `validate`, `publish`) report progress as messages; a message that starts with a
count, "[12/300] extracted NAME", is a step of a phase, any other ("writing dumps") a note. On a terminal,
:class:`Progress` draws the steps as one line redrawn with a carriage return (bar, count, percentage, elapsed time,
estimated time left, the step's text) and prints the notes as lines of their own; elsewhere (a pipe, a file, the
tests) every message is printed as it is, one per line, or not at all (`plain=False`).
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import IO

from .textutil import display_width, fit

_STEP = re.compile(r"\[(\d+)/(\d+)\] (.*)", re.DOTALL)
#: Redraw the bar at most this often (seconds); the last step of a phase is always drawn.
REDRAW = 0.1
BAR = 20


def clock_text(seconds: float) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour on."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def bar_line(done: int, total: int, label: str, elapsed: float, width: int) -> str:
    """One line of progress, at most `width` terminal columns: bar, count, percentage, elapsed, ETA, then label."""
    share = min(1.0, done / total) if total else 1.0
    filled = round(share * BAR)
    head = f"[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} {share:4.0%}  {clock_text(elapsed)}"
    if 0 < done < total:
        head += f" ETA {clock_text(elapsed / done * (total - done))}"
    room = width - display_width(head) - 2
    return head if room < 4 else f"{head}  {fit(label, room).rstrip()}"


class Progress:
    """A progress callback for the long commands: call it with each message, close it (or use `with`) at the end.

    `quiet` drops everything; `plain=False` drops the messages when the stream is no terminal (for commands that
    printed no progress before); `clock` and `width` are for tests.
    """

    def __init__(self, stream: IO[str] | None = None, *, quiet: bool = False, plain: bool = True,
                 clock: Callable[[], float] = time.monotonic, width: int | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.live = not quiet and bool(isatty and isatty())
        self.plain = not quiet and plain and not self.live
        self.clock = clock
        self.width = width
        self._drawn = 0  # columns of the bar on screen (0: no bar drawn)
        self._phase: tuple[str, int] | None = None
        self._start = clock()
        self._last = float("-inf")

    def __call__(self, message: str) -> None:
        """Report one message: a step ("[n/total] text") or a note."""
        if self.plain:
            print(message, file=self.stream, flush=True)
        elif self.live:
            step = _STEP.fullmatch(message)
            if step:
                self.step(int(step[1]), int(step[2]), step[3])
            else:
                self.note(message)

    def step(self, done: int, total: int, label: str) -> None:
        """Redraw the bar of a phase (a new phase when the step's first word or the total changes)."""
        if not self.live:
            if self.plain:
                print(f"[{done}/{total}] {label}", file=self.stream, flush=True)
            return
        now = self.clock()
        phase = (label.split(" ", 1)[0], total)
        if phase != self._phase:
            self._end_bar()
            self._phase = phase
        elif now - self._last < REDRAW and done < total:
            return
        self._last = now
        width = self.width or shutil.get_terminal_size((80, 24)).columns
        line = bar_line(done, total, label, now - self._start, width - 1)
        used = display_width(line)
        self.stream.write("\r" + line + " " * max(0, self._drawn - used))
        self._drawn = max(used, 1)
        if done >= total:
            self._end_bar()
        self.stream.flush()

    def note(self, message: str) -> None:
        """A message of its own line (ending a bar being drawn); the next phase's time starts now."""
        if self.plain or self.live:
            self._end_bar()
            print(message, file=self.stream, flush=True)
        self._start = self.clock()

    def _end_bar(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = 0
            self._start = self.clock()
        self._phase = None

    def close(self) -> None:
        """End the line of a bar still drawn."""
        self._end_bar()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
