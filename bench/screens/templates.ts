/**
 * Page templates of the benchmark: the screens of a clinic's billing application (the seeds'
 * example), plus a text editor with an open menu and a dashboard with English words. Each
 * template is one *state* for a user; its data (names, numbers, amounts, which rows await
 * validation) changes with the seed.
 *
 * Every interactive element carries `data-gt="<type>"`; the generator reads its box from the DOM.
 * `data-gt-label` names it when its text is not the name (a row's key, an icon's tooltip),
 * `data-gt-near` gives the text that tells apart elements with the same label (a row's key),
 * `data-gt-notarget` marks elements that have nothing visible to ask for (bare icons).
 */

export interface TemplateData {
  rng: () => number;
}

export interface PageTemplate {
  name: string;
  /** The page name shown in the window title. */
  page: string;
  render(data: TemplateData): string;
}

export const APP_NAME = 'Clinique Saint-Michel - Gestion';

// --- small deterministic data generator ------------------------------------------------------

/** mulberry32: a tiny seeded PRNG, so a seed always renders the same screen. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
export function shuffled<T>(rng: () => number, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const LAST_NAMES = [
  'Dupont',
  'Martin',
  'Bernard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'Roux',
  'Fournier',
  'Girard',
  'Bonnet',
  'Lambert',
  'Rousseau',
  'Blanc',
  'Guerin',
  'Muller',
  'Henry',
  'Perrin',
  'Mercier',
];
const FIRST_NAMES = [
  'Hélène',
  'Jérôme',
  'Amélie',
  'Léa',
  'Émile',
  'Chloé',
  'Thérèse',
  'André',
  'Zoé',
  'Noémie',
  'Rémi',
  'Gaëlle',
  'Valérie',
  'Benoît',
  'Agnès',
  'Sébastien',
  'Claire',
  'Lucas',
  'Inès',
  'Hugo',
];
const DOCTORS = ['Dr Lemaire', 'Dr Besson', 'Dr Caron', 'Dr Vidal', 'Dr Aubert'];
const INSURERS = ['Harmonie Mutuelle', 'MGEN', 'Malakoff Humanis', 'Aucune'];

function invoiceNumber(rng: () => number): string {
  return `FAC-2024-${String(100 + Math.floor(rng() * 9800)).padStart(4, '0')}`;
}
function amount(rng: () => number): string {
  return `${Math.floor(20 + rng() * 900)},${String(Math.floor(rng() * 100)).padStart(2, '0')}`;
}
function date(rng: () => number): string {
  return `${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}/${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}/2024`;
}
function person(rng: () => number): string {
  return `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`;
}

// --- markup helpers: one per element type, so every template annotates the same way ----------

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
let idCounter = 0;
const nextId = () => `el${++idCounter}`;

function button(label: string, cls = '', near?: string): string {
  return `<button class="btn ${cls}" data-gt="button" data-gt-label="${esc(label)}"${near ? ` data-gt-near="${esc(near)}"` : ''}>${esc(label)}</button>`;
}
function link(label: string, extra = ''): string {
  return `<a data-gt="link" data-gt-label="${esc(label)}"${extra}>${esc(label)}</a>`;
}
interface FieldOptions {
  pos?: 'left' | 'above';
  value?: string;
  placeholder?: string;
  password?: boolean;
  width?: number;
}
function textField(label: string | null, options: FieldOptions = {}): string {
  const id = nextId();
  const style = options.width ? ` style="width:${options.width}px"` : '';
  const input = `<input id="${id}" class="text" data-gt="text_input" type="${options.password ? 'password' : 'text'}"${
    options.value !== undefined ? ` value="${esc(options.value)}"` : ''
  }${options.placeholder ? ` placeholder="${esc(options.placeholder)}"` : ''}${style}>`;
  if (label === null) return input;
  return `<div class="field ${options.pos ?? 'left'}"><label for="${id}">${esc(label)}</label>${input}</div>`;
}
function dropdown(
  label: string | null,
  options: string[],
  selected: string,
  pos: 'left' | 'above' = 'left',
  width?: number,
): string {
  const id = nextId();
  const style = width ? ` style="width:${width}px"` : '';
  const select = `<select id="${id}" data-gt="dropdown"${label === null ? ` data-gt-label="${esc(selected)}"` : ''}${style}>${options
    .map((o) => `<option${o === selected ? ' selected' : ''}>${esc(o)}</option>`)
    .join('')}</select>`;
  if (label === null) return select;
  return `<div class="field ${pos}"><label for="${id}">${esc(label)}</label>${select}</div>`;
}
function checkbox(label: string, checked: boolean): string {
  const id = nextId();
  return `<span class="choice"><input type="checkbox" id="${id}" data-gt="checkbox"${checked ? ' checked' : ''}><label for="${id}">${esc(label)}</label></span>`;
}
function radio(group: string, label: string, checked: boolean): string {
  const id = nextId();
  return `<span class="choice"><input type="radio" name="${esc(group)}" id="${id}" data-gt="radio"${checked ? ' checked' : ''}><label for="${id}">${esc(label)}</label></span>`;
}
function tabs(labels: string[], active: number): string {
  return `<div class="tabs">${labels
    .map(
      (l, i) =>
        `<div class="tab${i === active ? ' active' : ''}" data-gt="tab" data-gt-label="${esc(l)}">${esc(l)}</div>`,
    )
    .join('')}</div>`;
}

const ICONS: Record<string, string> = {
  new: '<path d="M5 2h9l5 5v15H5z M14 2v5h5" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  open: '<path d="M2 6h7l2 2h11v12H2z" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  save: '<path d="M3 3h15l3 3v15H3z M7 3v6h9V3 M7 21v-7h10v7" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  print: '<path d="M6 9V3h12v6 M4 9h16v8H4z M7 14h10v7H7z" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  edit: '<path d="M4 20l1-5L16 4l4 4L9 19z M14 6l4 4" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  trash:
    '<path d="M4 6h16 M9 6V3h6v3 M6 6l1 15h10l1-15 M10 10v8 M14 10v8" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  gear: '<circle cx="12" cy="12" r="3.5" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M12 2v4 M12 18v4 M2 12h4 M18 12h4 M5 5l3 3 M16 16l3 3 M19 5l-3 3 M8 16l-3 3" stroke="currentColor" stroke-width="1.8"/>',
  search:
    '<circle cx="10" cy="10" r="6" fill="none" stroke="currentColor" stroke-width="2"/><path d="M15 15l6 6" stroke="currentColor" stroke-width="2.2"/>',
  refresh: '<path d="M20 12a8 8 0 1 1-3-6.2 M20 3v6h-6" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  export: '<path d="M12 15V3 M7 8l5-5 5 5 M4 14v7h16v-7" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  bold: '<path d="M7 4h6a4 4 0 0 1 0 8H7z M7 12h7a4 4 0 0 1 0 8H7z" fill="none" stroke="currentColor" stroke-width="2.2"/>',
  italic: '<path d="M10 4h8 M6 20h8 M14 4l-4 16" fill="none" stroke="currentColor" stroke-width="2"/>',
  bell: '<path d="M6 17V11a6 6 0 0 1 12 0v6l2 2H4z M10 21h4" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  min: '<path d="M3 10h10" stroke="currentColor" stroke-width="2"/>',
  max: '<path d="M3 3h10v10H3z" fill="none" stroke="currentColor" stroke-width="1.8"/>',
  close: '<path d="M3 3l10 10 M13 3L3 13" stroke="currentColor" stroke-width="2"/>',
};
export function svg(name: string, box = 24): string {
  return `<svg viewBox="0 0 ${box} ${box}" aria-hidden="true">${ICONS[name]}</svg>`;
}
/** An icon with no visible text: detected, but nothing a user could ask for by text. */
function bareIcon(name: string, tooltip: string): string {
  return `<button class="icon-btn" data-gt="icon" data-gt-label="${esc(tooltip)}" data-gt-notarget title="${esc(tooltip)}">${svg(name)}</button>`;
}
/** A toolbar icon with its caption under it, clicked by its caption. */
function captionedIcon(name: string, caption: string): string {
  return `<button class="tool" data-gt="icon" data-gt-label="${esc(caption)}">${svg(name)}<span>${esc(caption)}</span></button>`;
}
function menuTitle(label: string, open = false): string {
  return `<span class="menu-title${open ? ' open' : ''}" data-gt="menu_item" data-gt-label="${esc(label)}">${esc(label)}</span>`;
}

// --- the application shell ------------------------------------------------------------------

function titleBar(page: string): string {
  const winBtn = (icon: string, tip: string) =>
    `<button class="winbtn" data-gt="icon" data-gt-label="${esc(tip)}" data-gt-notarget>${svg(icon, 16)}</button>`;
  return `<div class="titlebar"><span class="title">${esc(APP_NAME)} - ${esc(page)}</span>${winBtn('min', 'Réduire')}${winBtn('max', 'Agrandir')}${winBtn('close', 'Fermer la fenêtre')}</div>`;
}
const MENUS = ['Fichier', 'Édition', 'Affichage', 'Outils', 'Aide'];
function menuBar(openIndex = -1, popup = ''): string {
  return `<div class="menubar">${MENUS.map((m, i) => menuTitle(m, i === openIndex)).join('')}${popup}</div>`;
}
const NAV = ['Tableau de bord', 'Factures', 'Patients', 'Rendez-vous', 'Paramètres'];
function sidebar(current: string): string {
  return `<nav class="sidebar">${NAV.map((n) => `<div class="nav${n === current ? ' current' : ''}">${link(n)}</div>`).join('')}</nav>`;
}
function shell(page: string, current: string, content: string, overlay = ''): string {
  return `<div class="window">${titleBar(page)}${menuBar()}<div class="body">${sidebar(current)}<main class="content">${content}</main></div>${overlay}</div>`;
}

// --- templates ------------------------------------------------------------------------------

const STATUSES = [
  { text: 'À valider', cls: 'todo' },
  { text: 'Validée', cls: 'done' },
  { text: 'Refusée', cls: 'refused' },
] as const;

interface Invoice {
  number: string;
  patient: string;
  date: string;
  amount: string;
  status: (typeof STATUSES)[number];
}
function invoices(rng: () => number, count: number): Invoice[] {
  const seen = new Set<string>();
  const out: Invoice[] = [];
  while (out.length < count) {
    const number = invoiceNumber(rng);
    if (seen.has(number)) continue;
    seen.add(number);
    const r = rng();
    out.push({
      number,
      patient: person(rng),
      date: date(rng),
      amount: amount(rng),
      status: STATUSES[r < 0.5 ? 0 : r < 0.85 ? 1 : 2],
    });
  }
  // At least one invoice awaits validation, so the list always has a "Valider" button.
  out[Math.floor(rng() * count)].status = STATUSES[0];
  return out;
}

function invoiceList(rng: () => number): { html: string; rows: Invoice[] } {
  const rows = invoices(rng, 7 + Math.floor(rng() * 4));
  const body = rows
    .map(
      (inv, i) =>
        `<tr class="${i % 2 ? 'alt' : ''}" data-gt="table_row" data-gt-label="${inv.number}"><td>${inv.number}</td><td>${esc(inv.patient)}</td><td>${inv.date}</td><td>${inv.amount}</td><td><span class="status ${inv.status.cls}">${inv.status.text}</span></td><td>${button('Voir', 'small', inv.number)} ${
          inv.status.cls === 'todo' ? button('Valider', 'small primary', inv.number) : ''
        }</td></tr>`,
    )
    .join('');
  const html = `<h1>Factures</h1>
    <div class="searchbar">${textField(null, { placeholder: 'Rechercher une facture', width: 220 })}
      ${dropdown('Statut', ['Tous', 'À valider', 'Validée', 'Refusée'], 'Tous', 'left', 130)}
      ${button('Rechercher')} ${button('Nouvelle facture', 'primary')}</div>
    <table><thead><tr><th>N°</th><th>Patient</th><th>Date</th><th>Montant</th><th>Statut</th><th>Actions</th></tr></thead><tbody>${body}</tbody></table>
    <div class="pager">${link('Précédent')}<span class="muted">Page ${1 + Math.floor(rng() * 5)} sur 6</span>${link('Suivant')}</div>`;
  return { html, rows };
}

export const TEMPLATES: PageTemplate[] = [
  {
    name: 'login',
    page: 'Connexion',
    render: ({ rng }) => {
      const user = `${pick(rng, FIRST_NAMES)
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')}.${pick(rng, LAST_NAMES).toLowerCase()}`;
      const card = `<div class="card" style="width:470px;margin:40px auto 0 auto"><h1>Connexion</h1>
        ${dropdown('Établissement', ['Clinique Saint-Michel', 'Centre de Valence'], pick(rng, ['Clinique Saint-Michel', 'Centre de Valence']))}
        ${textField('Identifiant', { value: rng() < 0.5 ? user : undefined, placeholder: 'prenom.nom' })}
        ${textField('Mot de passe', { password: true, value: rng() < 0.5 ? 'secret12' : undefined })}
        <div class="field">${checkbox('Se souvenir de moi', rng() < 0.5)}</div>
        <div class="actions">${button('Se connecter', 'primary')} ${button('Quitter')}</div>
        <p style="margin-top:14px">${link('Mot de passe oublié ?')} &nbsp; ${link('Need help?')}</p>
        <p class="muted">Version 4.${Math.floor(rng() * 9)}.${Math.floor(rng() * 20)}</p></div>`;
      return `<div class="window">${titleBar('Connexion')}<div class="body"><main class="content">${card}</main></div></div>`;
    },
  },
  {
    name: 'invoice_list',
    page: 'Factures',
    render: ({ rng }) => shell('Factures', 'Factures', invoiceList(rng).html),
  },
  {
    // The same list with a confirmation dialog on top: another state for the user.
    name: 'invoice_confirm',
    page: 'Factures',
    render: ({ rng }) => {
      const { html, rows } = invoiceList(rng);
      const todo = rows.find((r) => r.status.cls === 'todo') ?? rows[0];
      const dialog = `<div class="backdrop"></div><div class="dialog" role="dialog"><div class="dtitle">Confirmation</div>
        <div class="dbody"><p>Voulez-vous valider la facture ${todo.number} de ${esc(todo.patient)} ?</p><p class="muted">Montant : ${todo.amount} EUR</p></div>
        <div class="actions">${button('Confirmer', 'primary')} ${button('Annuler')}</div></div>`;
      return shell('Factures', 'Factures', html, dialog);
    },
  },
  {
    name: 'patient_form',
    page: 'Fiche patient',
    render: ({ rng }) => {
      const [first, last] = [pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)];
      const female = rng() < 0.5;
      const content = `<h1>Fiche patient : ${esc(first)} ${esc(last)}</h1>
        ${tabs(['Identité', 'Dossier médical', 'Facturation', 'Documents'], 0)}
        <div class="row"><div class="col card">
          ${textField('Nom', { value: last })}
          ${textField('Prénom', { value: first })}
          ${textField('Date de naissance', { placeholder: 'jj/mm/aaaa', value: rng() < 0.5 ? date(rng).replace('2024', String(1940 + Math.floor(rng() * 60))) : undefined })}
          <div class="field left"><label>Sexe</label><span class="choices">${radio('sexe', 'Homme', !female)}${radio('sexe', 'Femme', female)}</span></div>
          ${dropdown('Médecin traitant', DOCTORS, pick(rng, DOCTORS))}
        </div><div class="col card">
          ${textField('Téléphone', { pos: 'above', value: `06 ${Math.floor(10 + rng() * 89)} ${Math.floor(10 + rng() * 89)} ${Math.floor(10 + rng() * 89)} ${Math.floor(10 + rng() * 89)}` })}
          ${textField('Adresse e-mail', { pos: 'above', placeholder: 'nom@exemple.fr' })}
          ${dropdown('Mutuelle', INSURERS, pick(rng, INSURERS), 'above')}
          <div class="field">${checkbox('Patient mineur', rng() < 0.3)}</div>
          <div class="field">${checkbox('Consentement signé', rng() < 0.6)}</div>
        </div></div>
        <div class="actions">${button('Enregistrer', 'primary')} ${button('Annuler')} ${button('Imprimer la fiche')} ${link('Historique des visites')}</div>`;
      return shell('Fiche patient', 'Patients', content);
    },
  },
  {
    name: 'invoice_form',
    page: 'Détail de la facture',
    render: ({ rng }) => {
      const number = invoiceNumber(rng);
      const content = `<h1>Détail de la facture ${number}</h1>
        <div class="row"><div class="col card">
          ${textField('Patient', { value: person(rng) })}
          ${textField('Montant TTC', { value: amount(rng) })}
          ${textField("Date d'émission", { value: date(rng) })}
          ${dropdown('Mode de règlement', ['Virement', 'Carte bancaire', 'Espèces'], pick(rng, ['Virement', 'Carte bancaire', 'Espèces']))}
          <div class="field left"><label>Tiers payant</label><span class="choices">${radio('tiers', 'Oui', rng() < 0.5)}${radio('tiers', 'Non', false)}</span></div>
        </div><div class="col card">
          ${textField('Commentaire', { pos: 'above', placeholder: 'Ajouter un commentaire', width: 300 })}
          <div class="field">${checkbox('Envoyer par e-mail', rng() < 0.5)}</div>
          <div class="field">${checkbox('Facture acquittée', rng() < 0.5)}</div>
          <p>${link('Voir le patient')}</p>
        </div></div>
        <div class="actions">${button('Valider la facture', 'primary')} ${button('Refuser', 'danger')} ${button('Imprimer')} ${button('Retour à la liste')}</div>`;
      return shell('Détail de la facture', 'Factures', content);
    },
  },
  {
    name: 'settings',
    page: 'Paramètres',
    render: ({ rng }) => {
      const theme = Math.floor(rng() * 3);
      const content = `<h1>Paramètres</h1>${tabs(['Général', 'Affichage', 'Sécurité', 'Notifications'], 0)}
        <div class="card">
          ${dropdown('Langue', ['English', 'Deutsch', 'Italiano'], 'English')}
          ${dropdown('Fuseau horaire', ['Europe/Paris', 'Europe/Berlin', 'UTC'], pick(rng, ['Europe/Paris', 'Europe/Berlin', 'UTC']))}
          ${textField('Dossier des exports', { value: `/home/${pick(rng, LAST_NAMES).toLowerCase()}/exports`, width: 300 })}
          <div class="field left"><label>Apparence</label><span class="choices">${radio('theme', 'Thème clair', theme === 0)}${radio('theme', 'Thème sombre', theme === 1)}${radio('theme', 'Automatique', theme === 2)}</span></div>
          <div class="field">${checkbox('Démarrer avec la session', rng() < 0.5)}</div>
          <div class="field">${checkbox('Vérifier les mises à jour', rng() < 0.5)}</div>
          <div class="field">${checkbox('Afficher les info-bulles', rng() < 0.5)}</div>
        </div>
        <div class="actions">${button('Appliquer', 'primary')} ${button('Rétablir les valeurs')} ${button('Fermer')} ${link('Aide en ligne')}</div>`;
      return shell('Paramètres', 'Paramètres', content);
    },
  },
  {
    name: 'editor_menu',
    page: 'Courrier',
    render: ({ rng }) => {
      const items: Array<[string, string] | null> = [
        ['Nouveau', 'Ctrl+N'],
        ['Ouvrir', 'Ctrl+O'],
        ['Enregistrer', 'Ctrl+S'],
        ['Enregistrer sous', 'Maj+Ctrl+S'],
        null,
        ['Exporter en PDF', ''],
        ['Imprimer', 'Ctrl+P'],
        null,
        ['Fermer', 'Ctrl+W'],
        ['Quitter', 'Ctrl+Q'],
      ];
      const hot = Math.floor(rng() * 4);
      const popup = `<div class="menu-pop" style="left:6px">${items
        .map((it, i) =>
          it === null
            ? '<hr>'
            : `<div class="menu-item${i === hot ? ' hot' : ''}" data-gt="menu_item" data-gt-label="${esc(it[0])}"><span>${esc(it[0])}</span><span class="shortcut">${it[1]}</span></div>`,
        )
        .join('')}</div>`;
      const toolbar = `<div class="toolbar">${bareIcon('new', 'Nouveau document')}${bareIcon('open', 'Ouvrir un document')}${bareIcon('save', 'Enregistrer le document')}${bareIcon(
        'print',
        'Imprimer le document',
      )}<span class="sep"></span>${bareIcon('bold', 'Gras')}${bareIcon('italic', 'Italique')}<span class="sep"></span>${dropdown(
        null,
        ['Lettre de relance', 'Compte rendu', 'Ordonnance'],
        pick(rng, ['Lettre de relance', 'Compte rendu', 'Ordonnance']),
        'left',
        200,
      )}</div>`;
      const who = person(rng);
      // The letter's editing area is a (multi-line) text field: detectable, but it has no label to ask for.
      const letter = `<div class="textarea" data-gt="text_input" data-gt-label="" data-gt-notarget>Madame, Monsieur,<br><br>Nous vous remercions de votre visite du ${date(rng)}. Vous trouverez ci-joint la facture ${invoiceNumber(
        rng,
      )} d'un montant de ${amount(rng)} EUR.<br>Nous restons à votre disposition pour toute question.<br><br>${esc(who)}<br>Secrétariat médical</div>`;
      const content = `${letter}<div class="actions">${button('Envoyer', 'primary')} ${button('Prévisualiser')} ${link('Modèles de courrier')}</div>`;
      return `<div class="window">${titleBar('Courrier')}${menuBar(0, popup)}${toolbar}<div class="body"><main class="content">${content}</main></div></div>`;
    },
  },
  {
    name: 'dashboard',
    page: 'Tableau de bord',
    render: ({ rng }) => {
      const kpi = (title: string, value: string) =>
        `<div class="card kpi"><div class="muted">${title}</div><div class="big">${value}</div></div>`;
      const activity = shuffled(rng, LAST_NAMES)
        .slice(0, 4)
        .map(
          (n) =>
            `<p>${esc(n)} : ${pick(rng, ['facture validée', 'rendez-vous pris', 'dossier mis à jour'])} <span class="muted">${date(rng)}</span></p>`,
        )
        .join('');
      const content = `<div class="toolbar" style="margin:-16px -22px 14px -22px">${captionedIcon('print', 'Imprimer')}${captionedIcon('export', 'Exporter')}${captionedIcon(
        'refresh',
        'Actualiser',
      )}<span class="sep"></span>${bareIcon('bell', 'Notifications')}${bareIcon('gear', 'Settings')}</div>
        <h1>Tableau de bord</h1>
        <div class="searchbar">${textField(null, { placeholder: 'Search patients', width: 240 })} ${button('Search')} ${link('Sign out')} ${link('Help')}</div>
        <div class="kpis">${kpi('Factures à valider', String(Math.floor(rng() * 40)))}${kpi('Rendez-vous du jour', String(Math.floor(rng() * 30)))}${kpi(
          'Chiffre du mois',
          `${Math.floor(rng() * 90)} ${String(Math.floor(rng() * 1000)).padStart(3, '0')} EUR`,
        )}</div>
        <div class="card"><h2>Activité récente</h2>${activity}<p>${link('Voir tout le journal')} &nbsp; ${link('Open report')}</p></div>`;
      return shell('Tableau de bord', 'Tableau de bord', content);
    },
  },
];

export function templateByName(name: string): PageTemplate {
  const found = TEMPLATES.find((t) => t.name === name);
  if (!found) throw new Error(`unknown page template "${name}" (known: ${TEMPLATES.map((t) => t.name).join(', ')})`);
  return found;
}
