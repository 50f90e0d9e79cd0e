#!/usr/bin/env python3
"""Prints, as JSON, the accessible objects an application shows on screen, read from the AT-SPI
tree: role, name, screen extents, states, and the name of the object that labels it.

    atspi-dump.py PID [--timeout SECONDS]

The application is the desktop's child whose process is PID or one of its descendants. Subtrees that manage
their own descendants (spreadsheet grids, big lists) are not walked: they would take minutes.
"""
import json
import sys
import time
import warnings

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)

WANTED_STATES = {
    Atspi.StateType.SHOWING: "showing",
    Atspi.StateType.VISIBLE: "visible",
    Atspi.StateType.ENABLED: "enabled",
    Atspi.StateType.SENSITIVE: "sensitive",
    Atspi.StateType.CHECKED: "checked",
    Atspi.StateType.SELECTED: "selected",
    Atspi.StateType.FOCUSED: "focused",
    Atspi.StateType.EDITABLE: "editable",
    Atspi.StateType.MANAGES_DESCENDANTS: "manages_descendants",
    Atspi.StateType.ACTIVE: "active",
    Atspi.StateType.EXPANDED: "expanded",
}
MAX_NODES = 4000


def descends_from(pid, ancestor):
    """True when process `pid` is `ancestor` or one of its descendants (soffice.bin under soffice)."""
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            with open("/proc/%d/stat" % pid) as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
    return False


def find_app(pid, deadline):
    desktop = Atspi.get_desktop(0)
    while time.time() < deadline:
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and descends_from(app.get_process_id(), pid):
                    return app
            except Exception:
                continue
        time.sleep(0.3)
    return None


def label_of(obj):
    try:
        for rel in obj.get_relation_set():
            if rel.get_relation_type() == Atspi.RelationType.LABELLED_BY and rel.get_n_targets() > 0:
                return rel.get_target(0).get_name()
    except Exception:
        pass
    return None


def walk(obj, depth, parent, out):
    if len(out) >= MAX_NODES:
        return
    try:
        states = obj.get_state_set()
        role = obj.get_role_name()
        name = obj.get_name() or ""
        ext = obj.get_extents(Atspi.CoordType.SCREEN)
    except Exception:
        return
    flags = [v for k, v in WANTED_STATES.items() if states.contains(k)]
    index = len(out)
    node = {
        "i": index,
        "parent": parent,
        "depth": depth,
        "role": role,
        "name": name,
        "box": [ext.x, ext.y, ext.width, ext.height],
        "states": flags,
    }
    label = label_of(obj)
    if label:
        node["labelled_by"] = label
    if role in ("text", "entry", "password text", "spin button"):
        try:
            text = obj.get_text_iface()
            if text is not None:
                node["text"] = text.get_text(0, min(text.get_character_count(), 200))
        except Exception:
            pass
    out.append(node)
    # Hidden subtrees (closed menus, other notebook pages) are not drawn: skip them.
    if depth > 0 and "showing" not in flags and role not in ("frame", "dialog", "window", "application"):
        return
    if "manages_descendants" in flags:
        return
    try:
        count = obj.get_child_count()
    except Exception:
        return
    for i in range(min(count, 500)):
        try:
            child = obj.get_child_at_index(i)
        except Exception:
            continue
        if child is not None:
            walk(child, depth + 1, index, out)


def main():
    pid = int(sys.argv[1])
    timeout = float(sys.argv[sys.argv.index("--timeout") + 1]) if "--timeout" in sys.argv else 20.0
    deadline = time.time() + timeout
    app = find_app(pid, deadline)
    if app is None:
        sys.stderr.write("atspi-dump: no accessible application with process id %d\n" % pid)
        sys.exit(2)
    out = []
    walk(app, 0, -1, out)
    json.dump({"app": app.get_name(), "nodes": out}, sys.stdout)


main()
