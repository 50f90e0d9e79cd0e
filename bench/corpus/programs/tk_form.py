#!/usr/bin/env python3
"""An order form drawn by Tk (ttk themes), for the desktop corpus of the grounding benchmark.

    tk_form.py THEME LANG STATE OUT.json      THEME: clam | alt | default | classic; STATE: form | list

Tk has no accessibility bridge: once the window is drawn, the program writes its widgets' roles,
texts and boxes on screen as Tk itself placed them (winfo, bbox, identify), in the node format of
atspi-dump.py, to OUT.json.
"""
import json
import sys
import tkinter as tk
from tkinter import ttk

theme, lang, state, out_file = sys.argv[1:5]
fr = lang == "fr"


def t(en, french):
    return french if fr else en


root = tk.Tk()
root.title(t("Purchase order", "Bon de commande"))
style = ttk.Style(root)
style.theme_use(theme)
nodes = []


def node(role, name, x, y, w, h, labelled_by=None):
    top = not nodes
    n = {"i": len(nodes), "parent": -1 if top else 0, "depth": 1 if top else 2, "role": role, "name": name, "box": [x, y, w, h],
         "states": ["showing", "visible"] + (["editable"] if role == "text" else [])}
    if labelled_by:
        n["labelled_by"] = labelled_by
    nodes.append(n)


def widget(role, w, name, labelled_by=None):
    node(role, name, w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height(), labelled_by)


tabs = ttk.Notebook(root)
tabs.pack(fill="both", expand=True, padx=8, pady=8)
form = ttk.Frame(tabs, padding=10)
lines = ttk.Frame(tabs, padding=10)
tabs.add(form, text=t("Order", "Commande"))
tabs.add(lines, text=t("Lines", "Lignes"))
tabs.add(ttk.Frame(tabs), text=t("Delivery", "Livraison"))

fields = []
for row, (label, value) in enumerate(
    [(t("Customer", "Client"), "Dupont SARL"), (t("Reference", "Référence"), "BC-2024-117"),
     (t("Total", "Total"), "1 250,00 €")]
):
    ttk.Label(form, text=label).grid(row=row, column=0, sticky="e", padx=6, pady=4)
    entry = ttk.Entry(form, width=28)
    entry.insert(0, value)
    entry.grid(row=row, column=1, sticky="w", padx=6, pady=4)
    fields.append(("text", entry, label))
ttk.Label(form, text=t("Payment", "Paiement")).grid(row=3, column=0, sticky="e", padx=6, pady=4)
combo = ttk.Combobox(form, values=[t("Transfer", "Virement"), t("Card", "Carte")], width=25)
combo.current(0)
combo.grid(row=3, column=1, sticky="w", padx=6, pady=4)
fields.append(("combo box", combo, t("Payment", "Paiement")))
mode = tk.StringVar(value="std")
radios = ttk.Frame(form)
radios.grid(row=4, column=1, sticky="w")
choices = []
for value, text in [("std", t("Standard", "Normale")), ("exp", t("Express", "Express"))]:
    r = ttk.Radiobutton(radios, text=text, value=value, variable=mode)
    r.pack(side="left", padx=4)
    choices.append(("radio button", r, text))
for text in [t("Gift wrap", "Emballage cadeau"), t("Send invoice by email", "Facture par courriel")]:
    c = ttk.Checkbutton(form, text=text)
    c.grid(column=1, sticky="w", padx=6, pady=2)
    choices.append(("check box", c, text))

tree = ttk.Treeview(lines, columns=("qty", "price"), show="headings", height=5)
for col, head in [("#0", ""), ("qty", t("Quantity", "Quantité")), ("price", t("Price", "Prix"))]:
    if col != "#0":
        tree.heading(col, text=head)
rows = [tree.insert("", "end", values=(q, p)) for q, p in [("12", "4,50 €"), ("3", "129,00 €"), ("40", "0,95 €")]]
tree.pack(fill="both", expand=True)

buttons = ttk.Frame(root, padding=(8, 0, 8, 8))
buttons.pack(fill="x")
actions = []
for text in [t("Validate", "Valider"), t("Print", "Imprimer"), t("Cancel", "Annuler")]:
    b = ttk.Button(buttons, text=text)
    b.pack(side="right", padx=4)
    actions.append(b)
if state == "list":
    tabs.select(1)
root.geometry("+160+120")


def tab_boxes():
    """The tabs' boxes, found by asking the notebook which tab is under each pixel of its strip."""
    boxes = {}
    height = 0
    for y in range(0, 60):
        if tabs.identify(4, y) == "" and tabs.identify(20, y) == "" and height and y > height:
            break
        for x in range(0, tabs.winfo_width()):
            try:
                index = tabs.index("@%d,%d" % (x, y))
            except tk.TclError:
                continue
            if tabs.identify(x, y) == "":
                continue
            b = boxes.setdefault(index, [x, y, x, y])
            b[0], b[1], b[2], b[3] = min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)
            height = max(height, y)
    return boxes


def dump():
    root.update_idletasks()
    node("frame", root.title(), root.winfo_rootx(), root.winfo_rooty(), root.winfo_width(), root.winfo_height())
    for index, (x1, y1, x2, y2) in sorted(tab_boxes().items()):
        node("page tab", tabs.tab(index, "text"), tabs.winfo_rootx() + x1, tabs.winfo_rooty() + y1,
             x2 - x1 + 1, y2 - y1 + 1)
    if state == "form":
        for role, w, label in fields:
            widget(role, w, w.get(), labelled_by=label)
        for role, w, text in choices:
            widget(role, w, text)
    else:
        for item in rows:
            x, y, w, h = tree.bbox(item)
            node("table row", tree.item(item, "values")[0], tree.winfo_rootx() + x, tree.winfo_rooty() + y, w, h)
    for b in actions:
        widget("push button", b, b.cget("text"))
    with open(out_file, "w") as f:
        json.dump({"app": "tk_form", "nodes": nodes}, f)


root.after(1200, dump)
root.mainloop()
