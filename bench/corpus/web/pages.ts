/**
 * The pages of the web corpus: business forms, lists, dialogs, open menus and keypads, in French
 * or English, with the accents and signs French screens carry (ç ô ù œ € « »). The seed picks the
 * language, the words and the data; the framework draws them.
 */
import { pick, seededRandom, shuffled } from '../../screens/templates';
import { Framework, layout } from './frameworks';

const { row, stack, twoColumns, esc } = layout;

type Lang = 'fr' | 'en';

interface Words {
  app: string[];
  fields: Array<[string, string]>;
  selects: Array<[string, string[]]>;
  checks: string[];
  radios: Array<[string, string[]]>;
  tabs: string[][];
  actions: string[];
  primary: string[];
  links: string[];
  menus: string[];
  menuItems: string[];
  tools: Array<[string, string]>;
  headers: string[];
  statuses: string[];
  dialogs: Array<[string, string]>;
  dialogButtons: string[][];
}

const FR: Words = {
  app: ['Gestion des commandes', 'Comptabilité fournisseurs', 'Dossiers clients', 'Facturation œuvres', 'Trésorerie'],
  fields: [
    ['Raison sociale', 'ex. Boulangerie Lefèvre'],
    ['Numéro de SIRET', '14 chiffres'],
    ['Adresse de facturation', 'rue, code postal, ville'],
    ['Montant TTC (€)', '0,00 €'],
    ['Référence « client »', 'REF-0000'],
    ['Courriel', 'nom@exemple.fr'],
    ['Téléphone', '01 23 45 67 89'],
    ['Intitulé du compte', ''],
    ['Libellé', 'ex. Reçu de caisse'],
  ],
  selects: [
    ['Pays', ['France', 'Belgique', 'Suisse', 'Côte d’Ivoire']],
    ['Mode de règlement', ['Virement', 'Chèque', 'Prélèvement', 'Espèces']],
    ['Devise', ['Euro (€)', 'Franc suisse', 'Dollar']],
    ['Catégorie', ['Fournitures', 'Déplacements', 'Hôtellerie', 'Œuvres sociales']],
  ],
  checks: [
    'Envoyer une copie par courriel',
    'Client prioritaire',
    'Facture acquittée',
    'Reçu signé',
    'Prévenir le responsable',
    'Accepter les conditions',
  ],
  radios: [
    ['Civilité', ['Madame', 'Monsieur']],
    ['Fréquence', ['Mensuelle', 'Trimestrielle', 'Annuelle']],
    ['Livraison', ['Standard', 'Express', 'Retrait']],
  ],
  tabs: [
    ['Général', 'Adresses', 'Règlements', 'Historique'],
    ['Coordonnées', 'Contrats', 'Pièces jointes'],
    ['Résumé', 'Détails', 'Échéancier', 'Notes'],
  ],
  actions: ['Annuler', 'Réinitialiser', 'Aperçu', 'Dupliquer', 'Imprimer'],
  primary: ['Enregistrer', 'Valider', 'Créer la facture', 'Envoyer', 'Suivant'],
  links: ['Mot de passe oublié ?', 'Voir le détail', 'Conditions générales', 'Aide en ligne', 'Exporter en CSV'],
  menus: ['Fichier', 'Édition', 'Affichage', 'Outils', 'Aide'],
  menuItems: ['Nouveau', 'Ouvrir…', 'Enregistrer sous…', 'Aperçu avant impression', 'Propriétés', 'Quitter'],
  tools: [
    ['new', 'Nouveau'],
    ['save', 'Enregistrer'],
    ['print', 'Imprimer'],
    ['trash', 'Supprimer'],
    ['refresh', 'Actualiser'],
    ['export', 'Exporter'],
  ],
  headers: ['N° facture', 'Client', 'Date', 'Montant', 'Statut'],
  statuses: ['Payée', 'En attente', 'À relancer', 'Annulée'],
  dialogs: [
    ['Supprimer la facture ?', 'Cette opération est définitive. La pièce « {ref} » sera supprimée.'],
    ['Confirmer l’envoi', 'Le reçu de {amount} sera envoyé au client.'],
    ['Modifications non enregistrées', 'Voulez-vous enregistrer le dossier « {ref} » ?'],
  ],
  dialogButtons: [
    ['Annuler', 'Supprimer'],
    ['Retour', 'Confirmer'],
    ['Ne pas enregistrer', 'Annuler', 'Enregistrer'],
  ],
};

const EN: Words = {
  app: ['Order Management', 'Accounts Payable', 'Customer Records', 'Billing Console', 'Expense Reports'],
  fields: [
    ['Company name', 'e.g. Acme Ltd'],
    ['VAT number', 'GB000000000'],
    ['Billing address', 'street, postcode, city'],
    ['Total amount (€)', '0.00'],
    ['Customer reference', 'REF-0000'],
    ['Email address', 'name@example.com'],
    ['Phone number', '+44 20 0000 0000'],
    ['Account title', ''],
    ['Description', 'e.g. Taxi receipt'],
  ],
  selects: [
    ['Country', ['France', 'United Kingdom', 'Ireland', 'Canada']],
    ['Payment method', ['Bank transfer', 'Cheque', 'Direct debit', 'Cash']],
    ['Currency', ['Euro (€)', 'Pound sterling', 'US dollar']],
    ['Category', ['Supplies', 'Travel', 'Hotels', 'Training']],
  ],
  checks: [
    'Send a copy by email',
    'Priority customer',
    'Invoice paid',
    'Signed receipt',
    'Notify the manager',
    'I accept the terms',
  ],
  radios: [
    ['Title', ['Mrs', 'Mr', 'Mx']],
    ['Frequency', ['Monthly', 'Quarterly', 'Yearly']],
    ['Delivery', ['Standard', 'Express', 'Pick-up']],
  ],
  tabs: [
    ['General', 'Addresses', 'Payments', 'History'],
    ['Contact', 'Contracts', 'Attachments'],
    ['Summary', 'Details', 'Schedule', 'Notes'],
  ],
  actions: ['Cancel', 'Reset', 'Preview', 'Duplicate', 'Print'],
  primary: ['Save', 'Submit', 'Create invoice', 'Send', 'Next'],
  links: ['Forgot password?', 'View details', 'Terms and conditions', 'Online help', 'Export as CSV'],
  menus: ['File', 'Edit', 'View', 'Tools', 'Help'],
  menuItems: ['New', 'Open…', 'Save as…', 'Print preview', 'Properties', 'Exit'],
  tools: [
    ['new', 'New'],
    ['save', 'Save'],
    ['print', 'Print'],
    ['trash', 'Delete'],
    ['refresh', 'Refresh'],
    ['export', 'Export'],
  ],
  headers: ['Invoice no.', 'Customer', 'Date', 'Amount', 'Status'],
  statuses: ['Paid', 'Pending', 'Overdue', 'Cancelled'],
  dialogs: [
    ['Delete this invoice?', 'This cannot be undone. Document “{ref}” will be deleted.'],
    ['Confirm sending', 'The receipt for {amount} will be sent to the customer.'],
    ['Unsaved changes', 'Do you want to save record “{ref}”?'],
  ],
  dialogButtons: [
    ['Cancel', 'Delete'],
    ['Back', 'Confirm'],
    ["Don't save", 'Cancel', 'Save'],
  ],
};

const CUSTOMERS = [
  'Boulangerie Lefèvre',
  'Garçon & Fils',
  'Hôtel du Lac',
  'Cœur de Bœuf SARL',
  'Müller GmbH',
  'Brasserie Saint-Éloi',
  'Acme Ltd',
  'Northwind Traders',
  'Château Mouton',
  'Les Ateliers d’Aoûn',
  'Crème & Co',
  'Façades Dubreuil',
];

const KEYPADS: string[][][] = [
  [
    ['7', '8', '9', '÷'],
    ['4', '5', '6', '×'],
    ['1', '2', '3', '−'],
    ['0', ',', '=', '+'],
    ['C', 'AC', 'M+', '%'],
  ],
  [
    ['(', ')', '%', 'AC'],
    ['7', '8', '9', '÷'],
    ['4', '5', '6', '×'],
    ['1', '2', '3', '−'],
    ['0', '.', '=', '+'],
  ],
];

export interface PageData {
  rng: () => number;
  lang: Lang;
  words: Words;
}

function amount(rng: () => number, lang: Lang): string {
  const v = Math.floor(rng() * 900000) / 100 + 10;
  return lang === 'fr'
    ? `${v.toLocaleString('fr-FR', { minimumFractionDigits: 2 }).replace(/\u202f/g, ' ')} €`
    : `€${v.toLocaleString('en-GB', { minimumFractionDigits: 2 })}`;
}
function date(rng: () => number, lang: Lang): string {
  const d = 1 + Math.floor(rng() * 28);
  const m = 1 + Math.floor(rng() * 12);
  const pad = (n: number) => String(n).padStart(2, '0');
  return lang === 'fr' ? `${pad(d)}/${pad(m)}/2026` : `2026-${pad(m)}-${pad(d)}`;
}
const ref = (rng: () => number) => `FAC-2026-${String(1000 + Math.floor(rng() * 9000))}`;

function formBody(fw: Framework, d: PageData, idPrefix: string): string {
  const { rng, words: w } = d;
  const fields = shuffled(rng, w.fields).slice(0, 4);
  const selects = shuffled(rng, w.selects).slice(0, 2);
  const checks = shuffled(rng, w.checks).slice(0, 2);
  const radio = pick(rng, w.radios);
  const left = stack(
    fields.map((f, i) =>
      fw.input({ id: `${idPrefix}f${i}`, label: f[0], placeholder: rng() < 0.5 ? f[1] || undefined : undefined }),
    ),
  );
  const right = stack([
    ...selects.map((s, i) => fw.select({ id: `${idPrefix}s${i}`, label: s[0] }, s[1])),
    fw.radios(
      `${idPrefix}r`,
      radio[0],
      radio[1].map((label, i) => ({ id: `${idPrefix}r${i}`, label })),
      Math.floor(rng() * radio[1].length),
    ),
    ...checks.map((c, i) => fw.checkbox({ id: `${idPrefix}c${i}`, label: c }, rng() < 0.5)),
  ]);
  const buttons = row(
    [
      ...shuffled(rng, w.actions)
        .slice(0, 2)
        .map((a) => fw.button(a)),
      fw.button(pick(rng, w.primary), true),
    ].join(''),
  );
  return stack([twoColumns(left, right), buttons, row(fw.link(pick(rng, w.links)))], 16);
}

function toolbar(fw: Framework, d: PageData): string {
  const tools = shuffled(d.rng, d.words.tools).slice(0, 4);
  return row(
    [
      ...tools.map(([icon, caption]) => fw.toolButton(icon, caption)),
      fw.bareIcon('gear', d.lang === 'fr' ? 'Paramètres' : 'Settings'),
    ].join(''),
  );
}

function tableRows(d: PageData, n: number): string[][] {
  const customers = shuffled(d.rng, CUSTOMERS);
  return Array.from({ length: n }, (_, i) => [
    ref(d.rng),
    customers[i % customers.length],
    date(d.rng, d.lang),
    amount(d.rng, d.lang),
    pick(d.rng, d.words.statuses),
  ]);
}

export interface PageKind {
  name: string;
  render(fw: Framework, d: PageData): { title: string; body: string };
}

export const PAGE_KINDS: PageKind[] = [
  {
    name: 'form',
    render(fw, d) {
      const tabs = pick(d.rng, d.words.tabs);
      const body = stack([toolbar(fw, d), fw.tabs(tabs, 0), fw.card(pick(d.rng, d.words.app), formBody(fw, d, 'a'))]);
      return { title: pick(d.rng, d.words.app), body };
    },
  },
  {
    name: 'list',
    render(fw, d) {
      const w = d.words;
      const search = fw.input({ id: 'q', label: d.lang === 'fr' ? 'Rechercher' : 'Search', placeholder: '' });
      const filter = fw.select({ id: 'st', label: w.headers[4] }, ['—', ...w.statuses]);
      const body = stack([
        toolbar(fw, d),
        row(`${search}${filter}${fw.button(pick(d.rng, w.primary), true)}`),
        fw.table(w.headers, tableRows(d, 6 + Math.floor(d.rng() * 4))),
        row([fw.link(pick(d.rng, w.links)), fw.button(pick(d.rng, w.actions))].join('')),
      ]);
      return { title: pick(d.rng, w.app), body };
    },
  },
  {
    name: 'dialog',
    render(fw, d) {
      const k = Math.floor(d.rng() * d.words.dialogs.length);
      const [title, text] = d.words.dialogs[k];
      const message = `<p>${esc(text.replace('{ref}', ref(d.rng)).replace('{amount}', amount(d.rng, d.lang)))}</p>`;
      const extra = fw.checkbox({ id: 'dlgc', label: pick(d.rng, d.words.checks) }, false);
      const behind = stack([fw.tabs(pick(d.rng, d.words.tabs), 1), fw.table(d.words.headers, tableRows(d, 5))]);
      return {
        title: pick(d.rng, d.words.app),
        body: `${behind}${fw.dialog(title, message + extra, d.words.dialogButtons[k])}`,
      };
    },
  },
  {
    name: 'menu',
    render(fw, d) {
      const menus = d.words.menus;
      const items = shuffled(d.rng, d.words.menuItems).slice(0, 5);
      const open = Math.floor(d.rng() * 3);
      const body = stack([fw.menubar(menus, open, items), fw.card(pick(d.rng, d.words.app), formBody(fw, d, 'm'))]);
      return { title: pick(d.rng, d.words.app), body };
    },
  },
  {
    name: 'keypad',
    render(fw, d) {
      const keys = pick(d.rng, KEYPADS);
      const fieldLabel = d.lang === 'fr' ? 'Montant à encaisser' : 'Amount to collect';
      const side = stack([
        fw.input({ id: 'amt', label: fieldLabel, value: amount(d.rng, d.lang) }),
        fw.select({ id: 'pm', label: d.words.selects[1][0] }, d.words.selects[1][1]),
        row([fw.button(pick(d.rng, d.words.actions)), fw.button(pick(d.rng, d.words.primary), true)].join('')),
      ]);
      const body = `<div style="display:flex;gap:32px;align-items:flex-start">${fw.keypad(keys, amount(d.rng, d.lang))}${side}</div>`;
      return { title: d.lang === 'fr' ? 'Caisse enregistreuse' : 'Cash register', body };
    },
  },
];

export function pageData(seed: number): PageData {
  const rng = seededRandom(seed);
  const lang: Lang = rng() < 0.5 ? 'fr' : 'en';
  return { rng, lang, words: lang === 'fr' ? FR : EN };
}
