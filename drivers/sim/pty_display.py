"""A customer pole display on a pseudo-terminal that records what it was sent and shows its two lines."""

from __future__ import annotations

from drivers.sim.pty_device import PtyDevice


class DisplayScreen:
    """A 2 × ``width`` character screen that executes CD5220 and Epson display commands.

    It understands ``ESC @``, FF (clear), ``ESC Q A|B … CR``, ``ESC l x y`` and ``US $ x y`` (cursor), CR,
    LF, BS, HOME (0x0B) and ``ESC = n`` (bytes for the printer, between ``ESC = 1`` and ``ESC = 2``, are
    ignored). Text is decoded with ``encoding``; a double-byte character fills two cells.
    """

    def __init__(self, *, width: int = 20, encoding: str = "cp437") -> None:
        self.width = width
        self.encoding = encoding
        self.cells = [[" "] * width for _ in range(2)]
        self.row = self.col = 0
        self._for_display = True
        self._pending = b""

    @property
    def lines(self) -> tuple[str, str]:
        return tuple("".join(ch for ch in row if ch is not None) for row in self.cells)  # type: ignore[return-value]

    def clear(self) -> None:
        self.cells = [[" "] * self.width for _ in range(2)]
        self.row = self.col = 0

    def feed(self, data: bytes) -> None:
        buf, i = self._pending + data, 0
        self._pending = b""
        while i < len(buf):
            need = self._command_length(buf, i)
            if need is None:  # a command cut in two: keep it for the next chunk
                self._pending = buf[i:]
                return
            self._execute(buf[i : i + need])
            i += need

    def _command_length(self, buf: bytes, i: int) -> int | None:
        b = buf[i]
        if b == 0x1B:
            if i + 1 >= len(buf):
                return None
            cmd = buf[i + 1]
            if cmd == ord("Q"):
                end = buf.find(b"\r", i + 3)
                return None if end < 0 else end + 1 - i
            size = {ord("l"): 4, ord("="): 3}.get(cmd, 2)
            return None if i + size > len(buf) else size
        if b == 0x1F:
            if i + 1 >= len(buf):
                return None
            size = 4 if buf[i + 1] == ord("$") else 2
            return None if i + size > len(buf) else size
        if b >= 0x80 and self.encoding.lower() in ("gb18030", "gbk", "gb2312", "big5"):
            if i + 2 > len(buf):
                return None
            size = 4 if self.encoding.lower() == "gb18030" and 0x30 <= buf[i + 1] <= 0x39 else 2
            return None if i + size > len(buf) else size
        return 1

    def _execute(self, cmd: bytes) -> None:
        if cmd[:2] == b"\x1b=":
            self._for_display = cmd[2] == 2
            return
        if not self._for_display:
            return
        if cmd == b"\x1b@" or cmd == b"\x0c":
            self.clear()
        elif cmd[:2] == b"\x1bQ" and cmd[2:3] in (b"A", b"B"):
            self.row, self.col = (0 if cmd[2:3] == b"A" else 1), 0
            self.cells[self.row] = [" "] * self.width
            self._text(cmd[3:-1])
        elif cmd[:2] == b"\x1bl" or cmd[:2] == b"\x1f$":
            self.col, self.row = min(max(cmd[2], 1), self.width) - 1, min(max(cmd[3], 1), 2) - 1
        elif cmd == b"\r":
            self.col = 0
        elif cmd == b"\n":
            self.row = min(self.row + 1, 1)
        elif cmd == b"\x08":
            self.col = max(self.col - 1, 0)
        elif cmd == b"\x0b":
            self.row = self.col = 0
        elif cmd[0] >= 0x20:
            self._text(cmd)

    def _text(self, data: bytes) -> None:
        for ch in data.decode(self.encoding, errors="replace"):
            wide = len(ch.encode(self.encoding, errors="replace")) > 1
            cells = 2 if wide else 1
            if self.col + cells > self.width:
                break
            self.cells[self.row][self.col] = ch
            if wide:
                self.cells[self.row][self.col + 1] = None  # the right half of a wide character
            self.col += cells


class PtyPoleDisplay(PtyDevice):
    """Decodes everything the driver writes into ``screen``; ``lines`` is what a customer would read."""

    def __init__(self, *, width: int = 20, encoding: str = "cp437") -> None:
        super().__init__()
        self.screen = DisplayScreen(width=width, encoding=encoding)

    @property
    def lines(self) -> tuple[str, str]:
        with self._cond:
            return self.screen.lines

    def on_bytes(self, data: bytes) -> None:
        with self._cond:
            self.screen.feed(data)

    def wait_for_lines(self, line1: str, line2: str, timeout: float = 5.0) -> bool:
        """Block until the screen shows exactly these two lines (compared without trailing spaces)."""
        want = (line1.rstrip(), line2.rstrip())
        with self._cond:
            return self._cond.wait_for(lambda: tuple(l.rstrip() for l in self.screen.lines) == want, timeout)
