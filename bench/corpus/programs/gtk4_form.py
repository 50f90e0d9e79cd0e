#!/usr/bin/env python3
"""A patient form drawn by GTK 4 and libadwaita, for the desktop corpus of the grounding benchmark.

    gtk4_form.py THEME LANG STATE OUT.json
      THEME: light | dark | hc;  STATE: form | dialog | keypad | menu | list

GTK 4.8's accessibility bridge reports boxes relative to the window, not the screen, and names
fields by their class ("GtkEntry"): the program writes its widgets' roles, texts and boxes on the
screen itself, as GTK placed them (compute_bounds, the surface's X window), in the node format of
atspi-dump.py, to OUT.json. Boxes are in device pixels (GDK_SCALE included).
"""
import json
import os
import subprocess
import sys

theme, lang, state, out_file = sys.argv[1:5]
if theme == "hc":
    os.environ["ADW_DEBUG_HIGH_CONTRAST"] = "1"

import gi  # noqa: E402

gi.require_version("Gtk", "4.0")
gi.require_version("Adw", "1")
gi.require_version("GdkX11", "4.0")
from gi.repository import Adw, Gdk, GdkX11, Gio, GLib, Gtk  # noqa: E402

fr = lang == "fr"
SCALE = int(os.environ.get("GDK_SCALE", "1"))


def t(en, french):
    return french if fr else en


def surface_origin(native):
    """Where a native widget's surface is on the screen, in device pixels (X window geometry)."""
    xid = GdkX11.X11Surface.get_xid(native.get_surface())
    info = subprocess.run(["xwininfo", "-id", str(xid)], capture_output=True, text=True).stdout
    values = {}
    for line in info.splitlines():
        if ":" in line:
            key, _, value = line.strip().partition(":")
            values[key] = value.strip()
    return int(values["Absolute upper-left X"]), int(values["Absolute upper-left Y"])


def screen_box(widget):
    """The widget's box on the screen, in device pixels, or None when it is not drawn."""
    if not widget.get_mapped():
        return None
    native = widget.get_native()
    ok, rect = widget.compute_bounds(native)
    if not ok or rect.get_width() <= 0 or rect.get_height() <= 0:
        return None
    sx, sy = surface_origin(native)
    dx, dy = native.get_surface_transform()
    return [
        round(sx + (dx + rect.get_x()) * SCALE),
        round(sy + (dy + rect.get_y()) * SCALE),
        round(rect.get_width() * SCALE),
        round(rect.get_height() * SCALE),
    ]


def label_text(widget):
    """The text of the first label inside a widget (a button's caption)."""
    if isinstance(widget, Gtk.Label):
        return widget.get_label()
    child = widget.get_first_child()
    while child is not None:
        text = label_text(child)
        if text:
            return text
        child = child.get_next_sibling()
    return ""


app = Adw.Application(application_id="org.rpavision.CorpusGtk4", flags=Gio.ApplicationFlags.NON_UNIQUE)
labels = {}  # field widget -> the label a user reads beside it
keep = {}


def field(grid, row, text, widget):
    label = Gtk.Label(label=text, xalign=1)
    grid.attach(label, 0, row, 1, 1)
    widget.set_hexpand(True)
    grid.attach(widget, 1, row, 1, 1)
    labels[widget] = text


def build_form(window):
    page = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=14)
    page.set_margin_top(18)
    page.set_margin_bottom(18)
    page.set_margin_start(24)
    page.set_margin_end(24)
    grid = Gtk.Grid(row_spacing=10, column_spacing=14)
    name = Gtk.Entry(text="Lefèvre")
    field(grid, 0, t("Last name", "Nom"), name)
    first = Gtk.Entry(placeholder_text=t("First name", "Prénom"))
    field(grid, 1, t("First name", "Prénom"), first)
    insurer = Gtk.DropDown.new_from_strings(["Harmonie", "MGEN", "Malakoff"])
    field(grid, 2, t("Insurer", "Mutuelle"), insurer)
    age = Gtk.SpinButton.new_with_range(0, 120, 1)
    age.set_value(42)
    field(grid, 3, t("Age", "Âge"), age)
    amount = Gtk.Entry(text="1 250,00 €")
    field(grid, 4, t("Amount", "Montant"), amount)
    page.append(grid)
    checks = Gtk.Box(spacing=18)
    checks.append(Gtk.CheckButton(label=t("Insured", "Assuré")))
    checks.append(Gtk.CheckButton(label=t("Send by email", "Envoi par courriel"), active=True))
    page.append(checks)
    radios = Gtk.Box(spacing=18)
    first_radio = None
    for text in [t("Mr", "M."), t("Mrs", "Mme"), t("Other", "Autre")]:
        r = Gtk.CheckButton(label=text, group=first_radio)
        first_radio = first_radio or r
        radios.append(r)
    first_radio.set_active(True)
    page.append(radios)
    actions = Gtk.Box(spacing=10, halign=Gtk.Align.END)
    delete = Gtk.Button(label=t("Delete", "Supprimer"))
    delete.add_css_class("destructive-action")
    actions.append(delete)
    actions.append(Gtk.Button(label=t("Cancel", "Annuler")))
    save = Gtk.Button(label=t("Save", "Enregistrer"))
    save.add_css_class("suggested-action")
    save.add_css_class("pill")
    actions.append(save)
    page.append(actions)
    return page


def build_list():
    box = Gtk.ListBox(selection_mode=Gtk.SelectionMode.SINGLE)
    box.add_css_class("boxed-list")
    for title, sub in [
        ("Dupont Marie", t("Visit 12/03, 45,00 €", "Visite du 12/03, 45,00 €")),
        ("Martin Paul", t("Visit 14/03, 30,00 €", "Visite du 14/03, 30,00 €")),
        ("Bernard Léa", t("Visit 15/03, 60,00 €", "Visite du 15/03, 60,00 €")),
        ("Petit Hugo", t("Visit 18/03, 25,00 €", "Visite du 18/03, 25,00 €")),
    ]:
        row = Adw.ActionRow(title=title, subtitle=sub, activatable=True)
        box.append(row)
    box.select_row(box.get_row_at_index(1))
    clamp = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=12)
    for side in ("top", "bottom", "start", "end"):
        getattr(clamp, "set_margin_" + side)(24)
    clamp.append(box)
    more = Gtk.Button(label=t("Load more", "Charger la suite"), halign=Gtk.Align.CENTER)
    clamp.append(more)
    return clamp


def build_keypad():
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=8)
    for side in ("top", "bottom", "start", "end"):
        getattr(box, "set_margin_" + side)(16)
    display = Gtk.Entry(text="1 250,5", xalign=1)
    box.append(display)
    grid = Gtk.Grid(row_spacing=6, column_spacing=6, column_homogeneous=True, row_homogeneous=True)
    keys = [["C", "(", ")", "÷"], ["7", "8", "9", "×"], ["4", "5", "6", "−"], ["1", "2", "3", "+"], ["0", ",", "%", "="]]
    for y, row in enumerate(keys):
        for x, key in enumerate(row):
            b = Gtk.Button(label=key)
            if key == "=":
                b.add_css_class("suggested-action")
            grid.attach(b, x, y, 1, 1)
    box.append(grid)
    return box


# The test desktop has no compositor: a popover's shadow and arrow margins would be drawn black.
FLAT_POPOVERS = b"popover.menu > contents { box-shadow: none; border: 1px solid alpha(currentColor, 0.25); }"


def activate(application):
    css = Gtk.CssProvider()
    css.load_from_data(FLAT_POPOVERS)
    Gtk.StyleContext.add_provider_for_display(Gdk.Display.get_default(), css, Gtk.STYLE_PROVIDER_PRIORITY_APPLICATION)
    if theme == "dark":
        Adw.StyleManager.get_default().set_color_scheme(Adw.ColorScheme.FORCE_DARK)
    window = Adw.ApplicationWindow(application=application)
    title = {
        "keypad": t("Calculator", "Calculatrice"),
        "list": t("Visits", "Consultations"),
    }.get(state, t("Patient record", "Dossier patient"))
    window.set_title(title)
    content = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
    header = Adw.HeaderBar()
    menu = Gio.Menu()
    for text in [t("Open…", "Ouvrir…"), t("Export as PDF", "Exporter en PDF"), t("Print", "Imprimer"),
                 t("Preferences", "Préférences"), t("About", "À propos")]:
        menu.append(text, "app.noop")
    menu_button = Gtk.MenuButton(label=t("Actions", "Actions"), menu_model=menu)
    menu_button.get_popover().set_has_arrow(False)
    header.pack_end(menu_button)
    header.pack_start(Gtk.Button(label=t("New", "Nouveau")))
    content.append(header)
    noop = Gio.SimpleAction.new("noop", None)
    application.add_action(noop)
    if state == "keypad":
        content.append(build_keypad())
        window.set_default_size(360, 420)
    elif state == "list":
        content.append(build_list())
        window.set_default_size(560, 440)
    else:
        tabs = Gtk.Notebook()
        tabs.append_page(build_form(window), Gtk.Label(label=t("Identity", "Identité")))
        tabs.append_page(Gtk.Box(), Gtk.Label(label=t("Billing", "Facturation")))
        tabs.append_page(Gtk.Box(), Gtk.Label(label=t("History", "Historique")))
        keep["tabs"] = tabs
        content.append(tabs)
        window.set_default_size(620, 520)
    window.set_content(content)
    window.present()
    keep.update(window=window, menu_button=menu_button)
    if state == "menu":
        GLib.timeout_add(700, lambda: menu_button.popup() and False)
    if state == "dialog":
        def ask():
            dialog = Adw.MessageDialog(transient_for=window, modal=True,
                                       heading=t("Discard changes?", "Abandonner les modifications ?"),
                                       body=t("The record has unsaved changes.", "La fiche a des modifications non enregistrées."))
            dialog.add_response("cancel", t("Cancel", "Annuler"))
            dialog.add_response("discard", t("Discard", "Abandonner"))
            dialog.set_response_appearance("discard", Adw.ResponseAppearance.DESTRUCTIVE)
            dialog.present()
            keep["dialog"] = dialog
            return False
        GLib.timeout_add(700, ask)
    GLib.timeout_add(2200, dump)


nodes = []


def node(role, name, box, parent, depth, labelled_by=None, editable=False):
    n = {"i": len(nodes), "parent": parent, "depth": depth, "role": role, "name": name, "box": box,
         "states": ["showing", "visible"] + (["editable"] if editable else [])}
    if labelled_by:
        n["labelled_by"] = labelled_by
    nodes.append(n)
    return n["i"]


def walk(widget, parent, depth):
    """The widgets a user can act on, by what GTK draws them as (their CSS node names)."""
    box = screen_box(widget)
    if box is None:
        return
    css = widget.get_css_name()
    if isinstance(widget, Gtk.SpinButton):
        node("spin button", widget.get_text(), box, parent, depth, labels.get(widget), True)
        return
    if isinstance(widget, Gtk.Entry):
        node("text", widget.get_text(), box, parent, depth, labels.get(widget), True)
        return
    if isinstance(widget, Gtk.DropDown):
        item = widget.get_selected_item()
        node("combo box", item.get_string() if item is not None else "", box, parent, depth, labels.get(widget))
        return
    if isinstance(widget, Gtk.CheckButton):
        role = "radio button" if is_radio(widget) else "check box"
        node(role, widget.get_label(), box, parent, depth)
        return
    if css == "modelbutton":
        node("menu item", label_text(widget), box, parent, depth)
        return
    if isinstance(widget, Gtk.ListBoxRow):
        node("table row", widget.get_title() if isinstance(widget, Adw.ActionRow) else label_text(widget), box,
             parent, depth)
        return
    if isinstance(widget, Gtk.Button) and not isinstance(widget.get_parent(), Gtk.MenuButton):
        text = label_text(widget)
        if text:
            node("push button", text, box, parent, depth)
        return
    if isinstance(widget, Gtk.MenuButton):
        node("push button", widget.get_label(), box, parent, depth)
        return
    if isinstance(widget, Gtk.Notebook):
        for k in range(widget.get_n_pages()):
            tab = widget.get_tab_label(widget.get_nth_page(k))
            # The tab's clickable area is the label's parent (the notebook's "tab" node).
            tab_box = screen_box(tab.get_parent())
            if tab_box:
                node("page tab", tab.get_label(), tab_box, parent, depth)
        page = widget.get_nth_page(widget.get_current_page())
        walk(page, parent, depth)
        return
    child = widget.get_first_child()
    while child is not None:
        walk(child, parent, depth)
        child = child.get_next_sibling()


def is_radio(check):
    """A check button in a group is drawn as a radio button."""
    return check.get_first_child() is not None and check.get_first_child().get_css_name() == "radio"


def dump():
    window = keep["window"]
    top = node("frame", window.get_title(), screen_box(window), -1, 1)
    walk(window.get_content(), top, 2)
    popover = keep["menu_button"].get_popover()
    if state == "menu" and popover is not None and popover.get_mapped():
        menu = node("popup menu", "", screen_box(popover), top, 2)
        walk(popover, menu, 3)
    dialog = keep.get("dialog")
    if dialog is not None:
        d = node("dialog", dialog.get_heading(), screen_box(dialog), -1, 1)
        walk(dialog, d, 2)
    with open(out_file, "w") as f:
        json.dump({"app": "gtk4_form", "nodes": nodes}, f)
    return False


app.connect("activate", activate)
app.run([])
