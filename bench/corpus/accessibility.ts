/**
 * Ground truth from an accessibility tree: the objects a toolkit says it shows (role, name, box
 * on screen, states), mapped to the element types the benchmark scores. Nothing here looks at
 * pixels, so no rendering choice of ours decides what the truth is.
 */
import { Box, ElementType, TargetQuery, TruthElement } from '../screens/types';

/** One accessible object as atspi-dump.py (or a toolkit program of ours) prints it. */
export interface AccessibleNode {
  i: number;
  /** Index of the parent node, -1 for the application. */
  parent: number;
  depth: number;
  role: string;
  name: string;
  /** x, y, width, height in the toolkit's screen coordinates. */
  box: [number, number, number, number];
  states: string[];
  /** Name of the object the toolkit says labels this one. */
  labelled_by?: string;
}

export interface MappingOptions {
  /** Physical pixels per toolkit coordinate (2 when GDK_SCALE=2 and GTK reports logical pixels). */
  coordinateScale: number;
  /** Display scale the screen was drawn at: sizes below are in logical pixels times this. */
  displayScale: number;
  screen: { width: number; height: number };
}

const POPUP_ITEM_ROLES = new Set(['menu item', 'check menu item', 'radio menu item', 'menu']);
const FIELD_ROLES = new Set(['text', 'entry', 'password text', 'spin button']);
/** Toplevels drawn above the main window: dialogs, then popups (open menus, combo lists). */
const TOPLEVEL_RANK: Record<string, number> = { frame: 0, dialog: 1, alert: 1, 'file chooser': 1, window: 2 };
const CONTAINERS_THAT_CLIP = new Set(['viewport', 'scroll pane']);

function typeOf(node: AccessibleNode, parent: AccessibleNode | undefined): ElementType | undefined {
  switch (node.role) {
    case 'push button':
    case 'toggle button':
      return 'button';
    case 'check box':
      return parent && (parent.role === 'menu' || parent.role === 'popup menu') ? 'menu_item' : 'checkbox';
    case 'radio button':
      return 'radio';
    case 'menu item':
    case 'check menu item':
    case 'radio menu item':
      return 'menu_item';
    case 'menu':
      // A menu is a menu bar title or a submenu entry; a popup's own 'menu' object has no parent menu.
      return parent && (parent.role === 'menu bar' || parent.role === 'menu' || parent.role === 'popup menu')
        ? 'menu_item'
        : undefined;
    case 'page tab':
      return 'tab';
    case 'link':
      return 'link';
    case 'combo box':
      return 'dropdown';
    case 'list item':
    case 'table row':
      return 'table_row';
    default:
      if (FIELD_ROLES.has(node.role))
        return node.role === 'text' && !node.states.includes('editable') ? undefined : 'text_input';
      return undefined;
  }
}

/** The label a user reads: whitespace folded, a trailing colon dropped ("Style:" is asked as "Style"). */
export function cleanLabel(name: string): string {
  return name.replace(/\s+/g, ' ').trim().replace(/\s*:$/, '');
}

function intersects(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
function within(inner: Box, outer: Box, slack: number): boolean {
  return (
    inner[0] >= outer[0] - slack &&
    inner[1] >= outer[1] - slack &&
    inner[2] <= outer[2] + slack &&
    inner[3] <= outer[3] + slack
  );
}
function union(boxes: Box[]): Box {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

/**
 * The interactive elements of one screen, with a grounding query for each one a user could name
 * unambiguously. Elements behind an open dialog, covered by an open menu, scrolled out of their
 * viewport or cut by the screen edge stay listed as `ignore`d.
 */
export function truthFromAccessibility(nodes: AccessibleNode[], options: MappingOptions): TruthElement[] {
  const s = options.coordinateScale;
  const d = options.displayScale;
  const toPx = (b: AccessibleNode['box']): Box => [
    Math.round(b[0] * s),
    Math.round(b[1] * s),
    Math.round((b[0] + b[2]) * s) - 1,
    Math.round((b[1] + b[3]) * s) - 1,
  ];
  const byIndex = new Map(nodes.map((n) => [n.i, n]));
  const shown = (n: AccessibleNode) =>
    n.states.includes('showing') && n.box[2] > 0 && n.box[3] > 0 && n.box[0] > -10_000 && n.box[1] > -10_000;
  const ancestors = (n: AccessibleNode): AccessibleNode[] => {
    const list: AccessibleNode[] = [];
    for (let p = byIndex.get(n.parent); p && !list.includes(p); p = byIndex.get(p.parent)) list.push(p);
    return list;
  };
  const toplevelOf = (n: AccessibleNode): AccessibleNode | undefined => {
    const chain = [n, ...ancestors(n)];
    return chain.find((a) => a.depth === 1) ?? chain.find((a) => TOPLEVEL_RANK[a.role] !== undefined);
  };
  const rank = (t: AccessibleNode | undefined) => (t ? (TOPLEVEL_RANK[t.role] ?? 0) : 0);

  // What lies on top: the toplevels above a node's own, and the items of open popup menus.
  const toplevels = nodes.filter((n) => n.depth === 1 && shown(n));
  const popupGroups = new Map<number, Box[]>();
  for (const n of nodes) {
    const parent = byIndex.get(n.parent);
    if (!shown(n) || !parent || (!POPUP_ITEM_ROLES.has(n.role) && n.role !== 'check box')) continue;
    if (parent.role !== 'menu' && parent.role !== 'popup menu') continue;
    popupGroups.set(parent.i, [...(popupGroups.get(parent.i) ?? []), toPx(n.box)]);
  }
  const popups = [...popupGroups.entries()].map(([parent, boxes]) => ({ parent, box: union(boxes) }));
  const labels = nodes.filter((n) => n.role === 'label' && shown(n) && cleanLabel(n.name) !== '');
  const screenBox: Box = [0, 0, options.screen.width - 1, options.screen.height - 1];

  const fieldLabel = (
    n: AccessibleNode,
    box: Box,
    top: AccessibleNode | undefined,
  ): { text: string; box?: Box } | undefined => {
    const related = n.labelled_by ? cleanLabel(n.labelled_by) : '';
    if (related && labels.length === 0) return { text: related };
    const near = (l: AccessibleNode) => {
      const b = toPx(l.box);
      const leftOf = b[2] <= box[0] + 4 && box[0] - b[2] < 300 * d && b[1] < box[3] && b[3] > box[1];
      // A label above its field starts where the field starts and sits right over it.
      const above = b[3] <= box[1] + 4 && box[1] - b[3] < 24 * d && Math.abs(b[0] - box[0]) < 16 * d;
      if (leftOf) return Math.max(0, box[0] - b[2]);
      return above ? 2 * Math.max(0, box[1] - b[3]) : Infinity;
    };
    // A field is named by a label of its own window (`top`): a dialog's field is not named by a
    // label of the window behind it, however close (Swing's file chooser over a form).
    const candidates = labels
      .filter((l) => toplevelOf(l) === top)
      .map((l) => ({ l, distance: near(l) }))
      .filter((c) => c.distance < Infinity)
      .sort((a, b) => a.distance - b.distance);
    const named = related ? candidates.find((c) => cleanLabel(c.l.name) === related) : undefined;
    const pick = named ?? candidates[0];
    return pick ? { text: cleanLabel(pick.l.name), box: toPx(pick.l.box) } : undefined;
  };

  const elements: TruthElement[] = [];
  // A toolkit may expose one object twice (Swing lists a menu's items under the menu and its popup).
  const seen = new Set<string>();
  for (const n of nodes) {
    const identity = `${n.role}|${n.name}|${n.box.join(',')}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const parent = byIndex.get(n.parent);
    let type = typeOf(n, parent);
    if (!type || !shown(n)) continue;
    const box = toPx(n.box);
    const width = box[2] - box[0] + 1;
    const height = box[3] - box[1] + 1;
    const chain = ancestors(n);
    const top = toplevelOf(n);
    const inPopup = popups.some((p) => p.parent === n.parent);
    // A user acts on the dialog that is open, not on the window behind it; LibreOffice also
    // misplaces its main window's objects while one of its dialogs is up.
    const covered =
      toplevels.some((t) => t !== top && rank(t) === 1 && rank(top) < 1) ||
      toplevels.some((t) => t !== top && rank(t) > rank(top) && intersects(toPx(t.box), box)) ||
      (!inPopup && popups.some((p) => intersects(p.box, box)));
    const clip = chain.find((a) => CONTAINERS_THAT_CLIP.has(a.role) && shown(a));
    const clipped = !within(box, screenBox, 0) || (clip !== undefined && !within(box, toPx(clip.box), 2));

    let label = cleanLabel(n.name);
    let labelBox: Box | undefined;
    let targetable = true;
    if (type === 'text_input' || type === 'dropdown') {
      const found = fieldLabel(n, box, top);
      label = found?.text ?? '';
      labelBox = found?.box;
    }
    if (label === '') {
      if (type !== 'button') continue;
      // A button with no name is an icon the toolkit cannot name either: nothing to ask for.
      type = 'icon';
      targetable = false;
    } else if (
      type === 'button' &&
      ((width <= 1.6 * height && height < 48 * d && label.length > 3) || chain.some((a) => a.role === 'tool bar'))
    ) {
      // A square button named "Save", or any toolbar button, shows an icon: its name is a tooltip.
      type = 'icon';
      targetable = false;
    }
    // A checkable group box is a "check box" as tall as the group: not a box a user clicks to toggle.
    if ((type === 'checkbox' || type === 'radio') && height > 48 * d) targetable = false;
    const isField = type === 'text_input' || type === 'dropdown' || type === 'checkbox' || type === 'radio';
    const target: TargetQuery | undefined = targetable
      ? isField
        ? { label, type }
        : { text: label, type }
      : undefined;
    elements.push({
      id: `a${n.i}`,
      type,
      label,
      bbox: box,
      click_box: box,
      ...(labelBox ? { label_bbox: labelBox } : {}),
      ...(covered || clipped ? { ignore: true } : {}),
      ...(target ? { target } : {}),
    });
  }
  // A control whose middle lies on another, unrelated control is hidden under it (LibreOffice keeps
  // a stale second menu bar under its toolbar): the one on top is what the screenshot shows.
  const centre = (b: Box): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
  const under = (a: TruthElement, b: TruthElement) => {
    const [x, y] = centre(a.bbox);
    return x >= b.bbox[0] && x <= b.bbox[2] && y >= b.bbox[1] && y <= b.bbox[3];
  };
  const nested = (a: TruthElement, b: TruthElement) => within(a.bbox, b.bbox, 0) || within(b.bbox, a.bbox, 0);
  for (const a of elements)
    if (elements.some((b) => b !== a && !b.ignore && !nested(a, b) && under(a, b) && !under(b, a))) a.ignore = true;
  // Two targets a user would name alike (same words, same type) cannot be told apart by the query.
  const key = (e: TruthElement) => `${e.type}\u0000${e.label.toLowerCase()}`;
  const counts = new Map<string, number>();
  for (const e of elements) if (!e.ignore) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  for (const e of elements) if ((counts.get(key(e)) ?? 0) > 1) delete e.target;
  return elements;
}
