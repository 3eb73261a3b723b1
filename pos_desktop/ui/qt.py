"""The one door to Qt: every screen imports Qt names from here, so a Qt upgrade is read and made in one place."""

from __future__ import annotations

from PySide6.QtCore import (  # noqa: F401
    QAbstractTableModel, QCoreApplication, QElapsedTimer, QEvent, QLibraryInfo, QLocale, QModelIndex, QObject,
    QRect, QRegularExpression, QSettings, QSize, Qt, QTimer, QTranslator, QUrl, Signal, Slot,
)
from PySide6.QtGui import (  # noqa: F401
    QAction, QCloseEvent, QColor, QDesktopServices, QFont, QFontDatabase, QGuiApplication, QIcon, QKeyEvent,
    QKeySequence, QPalette, QRegularExpressionValidator, QShortcut,
)
from PySide6.QtWidgets import (  # noqa: F401
    QAbstractItemView, QApplication, QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QMainWindow, QMenuBar, QMessageBox, QPlainTextEdit, QProgressDialog, QPushButton, QSizePolicy,
    QSpinBox, QStackedWidget, QStatusBar, QTableView, QTableWidget, QTableWidgetItem, QTabWidget, QToolButton,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)
from shiboken6 import isValid  # noqa: F401 — whether a widget still exists when late work reports back
