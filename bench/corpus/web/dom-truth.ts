/**
 * The ground truth of a web corpus page, read from the rendered DOM the way an accessibility tree
 * sees it: each element's role (ARIA role, HTML tag, or the web component's tag) mapped to the
 * engine's element types, its accessible name, and its box. The pages carry no annotation.
 */
import type { DomElement } from '../../screens/generate';

/**
 * Runs in the page (self-contained: Playwright sends its source). Rules, in order:
 *  - checkbox, radio, dropdown (select, combobox), text_input (text-like input, textarea),
 *    tab, menu_item, table_row (a body row; its name is its first cell), then button and link;
 *  - a button whose only content is an icon is an `icon`; so is a toolbar button, an icon over
 *    its caption;
 *  - an element inside another interactive one (a link inside a tab) is the outer one;
 *  - the name is the visible label (label[for], a wrapping label, the slotted text of a web
 *    component, the text), else aria-label or title; a name that is not drawn (a bare icon's
 *    aria-label) is no grounding target;
 *  - a checkbox or radio drawn by its label (the input itself transparent, as 98.css does) is
 *    its label's box; a web component text field is its inner control, not its label above.
 */
export function readDomTruth(): DomElement[] {
  type Rect = [number, number, number, number];
  const rectOf = (r: DOMRect): Rect => [r.left, r.top, r.right, r.bottom];
  const textRect = (el: Node): DOMRect | null => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? r : null;
  };
  // Only the text of an element: a check box's label may hold the mark it draws as an empty span
  // (Lightning's "faux" marks), which a range over the whole label takes in.
  const textNodesRect = (el: Node): DOMRect | null => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let box: DOMRect | null = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim()) continue;
      const r = textRect(n);
      if (!r) continue;
      box = box
        ? new DOMRect(
            Math.min(box.left, r.left),
            Math.min(box.top, r.top),
            Math.max(box.right, r.right) - Math.min(box.left, r.left),
            Math.max(box.bottom, r.bottom) - Math.min(box.top, r.top),
          )
        : r;
    }
    return box;
  };
  const clean = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const TEXTLIKE = new Set(['', 'text', 'search', 'email', 'tel', 'url', 'number', 'password', 'date']);

  function typeOf(el: Element): string | null {
    const tag = el.tagName.toLowerCase();
    const role = el.getAttribute('role');
    const inputType = el instanceof HTMLInputElement ? el.type : null;
    if (inputType === 'checkbox' || tag === 'fluent-checkbox' || role === 'checkbox') return 'checkbox';
    if (inputType === 'radio' || tag === 'fluent-radio' || role === 'radio') return 'radio';
    if (tag === 'select' || tag === 'fluent-select' || tag === 'fluent-combobox' || role === 'combobox')
      return 'dropdown';
    if ((inputType !== null && TEXTLIKE.has(inputType)) || tag === 'textarea' || tag === 'fluent-text-field')
      return 'text_input';
    if (role === 'tab' || tag === 'fluent-tab') return 'tab';
    if (role === 'menuitem' || tag === 'fluent-menu-item') return 'menu_item';
    if (tag === 'tr' && el.parentElement?.tagName === 'TBODY') return 'table_row';
    if (tag === 'fluent-data-grid-row' && el.getAttribute('row-type') !== 'header') return 'table_row';
    if (
      tag === 'button' ||
      tag === 'fluent-button' ||
      role === 'button' ||
      inputType === 'submit' ||
      inputType === 'button'
    )
      return el.querySelector('svg') || clean((el as HTMLElement).innerText) === '' ? 'icon' : 'button';
    if ((tag === 'a' && el.hasAttribute('href')) || tag === 'fluent-anchor') return 'link';
    return null;
  }

  const labelFor = (el: Element): HTMLLabelElement | null =>
    el.id ? document.querySelector<HTMLLabelElement>(`label[for="${el.id}"]`) : null;

  /** Whether the middle of a text's box shows that text, not a menu or a dialog drawn over it. */
  function shows(owner: Element, rect: DOMRect | null): boolean {
    if (!rect) return false;
    const hit = document.elementFromPoint((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2);
    return !!hit && (hit === owner || owner.contains(hit) || hit.contains(owner));
  }

  /**
   * The text a person sees as the element's name, and the box of that text when separate. A
   * label hidden under an open menu names nothing a person can see (`fromText` false).
   */
  function visibleName(el: Element, type: string): { name: string; rect: DOMRect | null; fromText: boolean } {
    const byLabel = (label: HTMLElement) => {
      const rect = textRect(label);
      return { name: clean(label.innerText), rect, fromText: shows(label, rect) };
    };
    // aria-labelledby names an element before any label does (MDC's floating labels).
    const labelledBy = el.getAttribute('aria-labelledby');
    const named = labelledBy ? document.getElementById(labelledBy.split(/\s+/)[0]) : null;
    if (named) return byLabel(named);
    const forLabel = labelFor(el);
    if (forLabel) return byLabel(forLabel);
    const wrapping = el.closest('label');
    if (wrapping && wrapping !== el && clean(wrapping.innerText)) return byLabel(wrapping);
    if (type === 'table_row') {
      const first = el.firstElementChild;
      return { name: clean((first as HTMLElement | null)?.innerText), rect: null, fromText: true };
    }
    const own = clean((el as HTMLElement).innerText);
    if (own && !(el instanceof HTMLSelectElement)) return { name: own, rect: null, fromText: true };
    const placeholder = el.getAttribute('placeholder');
    if (placeholder) return { name: clean(placeholder), rect: null, fromText: true };
    return { name: clean(el.getAttribute('aria-label') ?? el.getAttribute('title')), rect: null, fromText: false };
  }

  // A modal dialog over a backdrop hides everything outside it, even where a hit test misses its
  // backdrop (Fluent draws it in the dialog's shadow root).
  const modal = document.querySelector(
    '.modal.show, .modal.is-active, .cds--modal.is-visible, .mdc-dialog--open, fluent-dialog[modal], .uk-modal.uk-open, .pf-v6-c-modal-box, .slds-modal.slds-fade-in-open',
  );
  const out: DomElement[] = [];
  const typed = new Map<Element, string>();
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    const type = typeOf(el);
    if (!type) continue;
    let outer = el.parentElement;
    while (outer && !(typed.has(outer) && typed.get(outer) !== 'table_row')) outer = outer.parentElement;
    if (outer) continue;
    typed.set(el, type);
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;

    const { name, rect: nameRect, fromText: named } = visibleName(el, type);
    let fromText = named;
    let box: Element = el;
    let rect = el.getBoundingClientRect();
    let labelRect: DOMRect | null = type === 'text_input' || type === 'dropdown' ? nameRect : null;
    // A mark drawn by its label: the input itself transparent (98.css) or clipped to a pixel (Carbon).
    const drawnByLabel = style.opacity === '0' || (rect.width <= 2 && rect.height <= 2);
    // A mark drawn by a sibling under the transparent input (MDC): the mark and the label.
    const drawnMark = el.parentElement?.querySelector('.mdc-checkbox__background, .mdc-radio__background');
    if ((type === 'checkbox' || type === 'radio') && drawnByLabel && drawnMark && labelFor(el)) {
      box = labelFor(el)!;
      const mark = drawnMark.getBoundingClientRect();
      const label = box.getBoundingClientRect();
      rect = new DOMRect(
        Math.min(mark.left, label.left),
        Math.min(mark.top, label.top),
        Math.max(mark.right, label.right) - Math.min(mark.left, label.left),
        Math.max(mark.bottom, label.bottom) - Math.min(mark.top, label.top),
      );
      labelRect = nameRect;
    } else if ((type === 'checkbox' || type === 'radio') && drawnByLabel && labelFor(el)) {
      box = labelFor(el)!;
      rect = box.getBoundingClientRect();
      // The mark is the label's ::before, placed left of the label's box.
      const mark = getComputedStyle(box, '::before');
      const shift = mark.position === 'absolute' ? parseFloat(mark.left) : 0;
      if (shift < 0) rect = new DOMRect(rect.left + shift, rect.top, rect.width - shift, rect.height);
      labelRect = nameRect;
    } else if (type === 'checkbox' || type === 'radio') labelRect = nameRect;
    // MDC's text field is the box around its input (the label element drawn as the field).
    const field = type === 'text_input' ? el.closest('.mdc-text-field') : null;
    if (field) rect = field.getBoundingClientRect();
    const control = el.shadowRoot?.querySelector('[part~="root"]');
    if (el.tagName.toLowerCase() === 'fluent-text-field' && control) {
      rect = control.getBoundingClientRect();
      labelRect = textRect(el);
      fromText &&= shows(el, labelRect);
    }

    let text: string;
    if (el instanceof HTMLInputElement) text = el.type === 'password' ? '' : el.value || el.placeholder;
    else if (el instanceof HTMLSelectElement) text = el.selectedOptions[0]?.text ?? '';
    else if (type === 'text_input') text = clean(el.getAttribute('value') ?? el.getAttribute('placeholder'));
    else if (type === 'dropdown')
      text = clean(
        (el.querySelector('[selected], fluent-option, .mdc-select__selected-text') as HTMLElement)?.innerText,
      );
    else text = clean((el as HTMLElement).innerText);

    const cx = (rect.left + rect.right) / 2;
    const cy = (rect.top + rect.bottom) / 2;
    const hit = document.elementFromPoint(cx, cy);
    const covered =
      !hit ||
      !(hit === box || box.contains(hit) || hit.contains(box) || hit === el) ||
      (!!modal && !modal.contains(el));
    const isField = type === 'text_input' || type === 'dropdown' || type === 'table_row';
    const content = isField ? null : type === 'checkbox' || type === 'radio' ? textNodesRect(box) : textRect(box);
    out.push({
      type: type as DomElement['type'],
      label: name,
      text,
      rect: rectOf(rect),
      labelRect: labelRect ? rectOf(labelRect) : null,
      contentRect: content ? rectOf(content) : null,
      near: null,
      // A name only assistive technology reads (a bare icon's aria-label) is nothing a user could ask for.
      noTarget: !fromText,
      covered,
    });
  }
  return out;
}
