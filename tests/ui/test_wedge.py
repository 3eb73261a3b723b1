"""The inter-key timing detector: a scanner's burst in the look-up box becomes a scan; a person's typing does not."""

from pos_desktop.ui.qt import QEvent, QKeyEvent, QLineEdit, Qt
from pos_desktop.ui.wedge import WedgeFilter
from tests.conftest import COLA


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def keys(wedge, field, text, gap, clock):
    swallowed = []
    for char in text + "\r":
        clock.now += gap
        key = Qt.Key.Key_Return if char == "\r" else Qt.Key(ord(char.upper()))
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, char)
        if wedge.eventFilter(field, event):
            swallowed.append(char)
        elif char != "\r":
            field.insert(char)
    return swallowed


def test_a_fast_burst_is_a_scan_and_leaves_the_field(qtbot):
    scans, clock = [], Clock()
    wedge = WedgeFilter(scans.append, clock=clock)
    field = QLineEdit()
    field.setObjectName("lookupInput")
    qtbot.addWidget(field)
    field.setText("cola ")
    assert keys(wedge, field, COLA, 0.012, clock) == ["\r"]
    assert scans == [COLA] and field.text() == "cola "


def test_a_person_typing_is_left_alone(qtbot):
    scans, clock = [], Clock()
    wedge = WedgeFilter(scans.append, clock=clock)
    field = QLineEdit()
    field.setObjectName("lookupInput")
    qtbot.addWidget(field)
    assert keys(wedge, field, "69012345", 0.120, clock) == []
    assert scans == [] and field.text() == "69012345"


def test_short_fast_lookups_are_not_scans(qtbot):
    scans, clock = [], Clock()
    wedge = WedgeFilter(scans.append, clock=clock)
    field = QLineEdit()
    field.setObjectName("lookupInput")
    qtbot.addWidget(field)
    assert keys(wedge, field, "kkkl", 0.010, clock) == []
    assert scans == []


def test_a_scan_into_a_dialog_field_stays_there(qtbot):
    scans, clock = [], Clock()
    wedge = WedgeFilter(scans.append, clock=clock)
    field = QLineEdit()
    field.setObjectName("askInput")       # e.g. a member card scanned into the member box
    qtbot.addWidget(field)
    assert keys(wedge, field, "M000123456", 0.010, clock) == []
    assert scans == [] and field.text() == "M000123456"
