"""One table of the window's actions: it builds the menus, the shortcuts, the tooltips and the
retranslation, and lists the shortcuts for Help -> Keyboard shortcuts.

Each :class:`ActionSpec` names its text key (``action.<key>`` and ``action.<key>_tip`` in
``bodymap/i18n/strings``), its shortcut, what it runs (a function of the main window, called
after the window has loaded its data when ``loads``) and when it is enabled. Menus are lists of
action keys plus a few slots the window fills itself (``@recent``, ``@marks``, ``@docks``,
``@language``) and ``-`` for a separator.

Shortcuts are set after the first paint (:meth:`ActionTable.install_shortcuts`): the first
``setShortcut`` makes PySide6 create every ``Qt.*`` enum, which costs more than a bare window's
first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from bodymap import i18n
from bodymap.i18n import tr

if TYPE_CHECKING:
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.mainwindow import MainWindow

MARK_MODES = ("hernia", "pain", "lesion")

Shortcut = str | QKeySequence.StandardKey
#: when an action is enabled: always, once the window has its data, while there is a plan, or
#: as the undo history says (:class:`~bodymap.widgets.history.HistoryActions`)
Enabled = Literal["always", "ready", "plan", "history"]


@dataclass(frozen=True)
class ActionSpec:
    key: str  # text keys action.<key>, action.<key>_tip; objectName "act" + CamelCase
    run: Callable[[MainWindow], object]  # what it does, given the window
    shortcuts: tuple[Shortcut, ...] = ()  # "Ctrl+E", or a platform standard key
    enabled: Enabled = "always"
    role: QAction.MenuRole | None = None  # e.g. QuitRole (the macOS application menu)
    listed: bool = True  # shown in the shortcuts table
    loads: bool = True  # loads the protocols and the drawing first (if not yet loaded)


_KEY = QKeySequence.StandardKey

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", lambda w: w.documents.new_document(), (_KEY.New,)),
    ActionSpec("open", lambda w: w.documents.open_document(), (_KEY.Open,)),
    ActionSpec("save", lambda w: w.documents.save(), (_KEY.Save,), enabled="ready"),
    ActionSpec("save_as", lambda w: w.documents.save_as(), ("Ctrl+Shift+S",),
               enabled="ready"),
    ActionSpec("export", lambda w: w.documents.export_handout(), ("Ctrl+E",), enabled="plan"),
    ActionSpec("quit", lambda w: w.close(), ("Ctrl+Q",), role=QAction.MenuRole.QuitRole,
               loads=False),
    ActionSpec("undo", lambda w: w.controller.undo(), ("Ctrl+Z",), enabled="history"),
    ActionSpec("redo", lambda w: w.controller.redo(), ("Ctrl+Shift+Z", "Ctrl+Y"),
               enabled="history"),
    ActionSpec("mark_all_no", lambda w: w.parts.panel.mark_all_no(), listed=False),
    ActionSpec("patients", lambda w: w.show_records("patients"), ("Ctrl+Shift+P",),
               enabled="ready"),
    ActionSpec("record_visit", lambda w: w.show_records("visit"), ("Ctrl+Shift+V",),
               enabled="ready"),
    ActionSpec("patient_course", lambda w: w.show_records("course"), ("Ctrl+Shift+C",),
               enabled="ready"),
    ActionSpec("compare_visits", lambda w: w.show_records("compare"), ("Ctrl+Shift+M",),
               enabled="ready"),
    ActionSpec("show_progress", lambda w: w.present_progress(), ("Shift+F5",),
               enabled="ready"),
    ActionSpec("records_database", lambda w: w.choose_records_database(), enabled="ready"),
    ActionSpec("reload_protocols", lambda w: w.reload_protocols(), ("Ctrl+R",), listed=False),
    ActionSpec("protocol_folder", lambda w: w.open_protocol_folder(), listed=False),
    ActionSpec("presentation", lambda w: w.enter_presentation(), ("F5",), enabled="ready"),
    ActionSpec("study", lambda w: w.open_study(), ("Ctrl+T",), enabled="ready"),
    ActionSpec("reset_layout", lambda w: w.reset_layout(), enabled="ready", listed=False),
    ActionSpec("shortcuts", lambda w: w.show_shortcuts(), ("F1",), loads=False),
    ActionSpec("about", lambda w: w.show_about(), role=QAction.MenuRole.AboutRole,
               listed=False, loads=False),
)

MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("file", ("new", "open", "@recent", "-", "save", "save_as", "-", "export", "-", "quit")),
    ("edit", ("undo", "redo")),
    ("patient", ("mark_all_no", "-", "@marks")),
    ("records", ("patients", "record_visit", "patient_course", "compare_visits", "-",
                 "show_progress", "-", "records_database")),
    ("protocols", ("reload_protocols", "protocol_folder")),
    ("view", ("presentation", "study", "-", "@docks", "reset_layout", "-", "@language")),
    ("help", ("shortcuts", "about")),
)

#: keys that are not actions of the window (the player's and the presentation's own)
OTHER_KEYS = (("play", "Space"), ("prev", "Ctrl+Left"), ("next", "Ctrl+Right"),
              ("speed", "Ctrl+1 / Ctrl+2 / Ctrl+3"), ("present_keys", "Space, ←, →"),
              ("present_leave", "Esc"))


def _object_name(key: str) -> str:
    return "act" + "".join(part.capitalize() for part in key.split("_"))


class ActionTable:
    """The window's QActions, menus and mark-mode group, built from :data:`ACTIONS`."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        self._pending: dict[QAction, tuple[Shortcut, ...]] = {}
        for spec in ACTIONS:
            action = QAction(window)
            action.setObjectName(_object_name(spec.key))
            action.triggered.connect(lambda _=False, spec=spec: self.run(spec))
            if spec.role is not None:
                action.setMenuRole(spec.role)
            if spec.shortcuts:
                self._pending[action] = spec.shortcuts
            window.addAction(action)
            self.actions[spec.key] = action
        self.lang_group = QActionGroup(window)
        self.lang_actions: dict[str, QAction] = {}
        for lang in i18n.LANGUAGES:
            action = QAction(i18n.LANGUAGE_NAMES[lang], window)
            action.setObjectName(f"actLanguage_{lang}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, lang=lang: window.set_language(lang))
            self.lang_group.addAction(action)
            self.lang_actions[lang] = action
        # marking modes of the map: at most one at a time
        self.mark_group = QActionGroup(window)
        self.mark_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.mark_actions: dict[str, QAction] = {}
        for mode in MARK_MODES:
            action = QAction(window)
            action.setObjectName(f"actMark_{mode}")
            action.setCheckable(True)
            window.addAction(action)
            self.mark_group.addAction(action)
            self.mark_actions[mode] = action
        self.menus: dict[str, QMenu] = {}
        self.docks_anchor: QAction | None = None
        self.set_state(ready=False, plan=False)
        for key in ("undo", "redo"):
            self.actions[key].setEnabled(False)

    def bind(self, controller: SessionController) -> None:
        """Enable what the controller's plan allows (saving, export, the marking tools)."""
        controller.planChanged.connect(lambda plan: self.set_state(ready=True,
                                                                   plan=plan is not None))
        self.set_state(ready=True, plan=controller.plan() is not None)

    def __getitem__(self, key: str) -> QAction:
        return self.actions[key]

    def run(self, spec: ActionSpec) -> None:
        """Run an action, loading the window's data first when it needs it."""
        if spec.loads and not self.window.ensure_ready():
            return
        spec.run(self.window)

    def build_menus(self, bar: QMenuBar) -> None:
        """Fill the menu bar. ``@recent`` and ``@language`` become submenus (``menus["recent"]``
        is filled by the documents when it opens), ``@marks`` the marking modes, ``@docks`` the
        anchor before which the window inserts its docks' toggles."""
        for name, items in MENUS:
            menu = bar.addMenu("")
            menu.setObjectName(f"{name}Menu")
            self.menus[name] = menu
            for item in items:
                if item == "-":
                    menu.addSeparator()
                elif item == "@marks":
                    for action in self.mark_actions.values():
                        menu.addAction(action)
                elif item == "@docks":
                    self.docks_anchor = menu.addSeparator()
                elif not item.startswith("@"):
                    menu.addAction(self.actions[item])
                else:
                    sub = menu.addMenu("")
                    sub.setObjectName(f"{item[1:]}Menu")
                    self.menus[item[1:]] = sub
                    if item == "@language":
                        for action in self.lang_actions.values():
                            sub.addAction(action)

    def install_shortcuts(self) -> None:
        for action, shortcuts in self._pending.items():
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        self._pending.clear()

    def set_state(self, *, ready: bool, plan: bool) -> None:
        """Enable what may run now; the marking tools need a plan to mark on."""
        allowed = {"always": True, "ready": ready, "plan": plan}
        for spec in ACTIONS:
            if spec.enabled in allowed:
                self.actions[spec.key].setEnabled(allowed[spec.enabled])
        for action in self.mark_actions.values():
            action.setEnabled(plan)
            if not plan:
                action.setChecked(False)

    def retranslate(self) -> None:
        self.lang_actions[i18n.language()].setChecked(True)
        for name, menu in self.menus.items():
            menu.setTitle(tr(f"menu.{name}"))
        for key, action in self.actions.items():
            self._texts(action, f"action.{key}")
        for mode, action in self.mark_actions.items():
            self._texts(action, f"mark.{mode}")

    @staticmethod
    def _texts(action: QAction, key: str) -> None:
        action.setText(tr(key))
        action.setToolTip(tr(f"{key}_tip"))
        action.setStatusTip(tr(f"{key}_tip"))

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every listed action and the player's and presentation's keys."""
        rows = [(_label(tr(f"action.{s.key}")), self._keys(s.key))
                for s in ACTIONS if s.listed and s.key != "shortcuts"]
        rows += [(_label(a.text()), "") for a in self.mark_actions.values()]
        rows.append((_label(tr("action.shortcuts")), self._keys("shortcuts")))
        rows += [(tr(f"shortcuts.{k}"), v) for k, v in OTHER_KEYS]
        return rows

    def _keys(self, key: str) -> str:
        native = QKeySequence.SequenceFormat.NativeText
        return ", ".join(k.toString(native) for k in self.actions[key].shortcuts())


def _label(text: str) -> str:
    return text.replace("&", "").rstrip("….")


__all__ = ["ACTIONS", "MARK_MODES", "MENUS", "ActionSpec", "ActionTable"]
