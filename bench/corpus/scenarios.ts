/**
 * The screens of the desktop corpus: real programs of six toolkit families, each in several
 * themes, languages and scales, some with a menu or a dialog open. Every program comes from a
 * Debian package, except the Swing and Tk forms, which are ours (bench/corpus/programs) and only
 * ask their toolkit to draw standard widgets. Swing has no open-menu screen: java-atk-wrapper
 * reports a popup menu's items one row above where they are drawn.
 */
import * as path from 'path';
import { REPO_ROOT } from '../screens/generate';
import type { WineLook, WineTheme } from './wine';

export type Family = 'gtk3' | 'gtk4' | 'qt5' | 'swing' | 'tk' | 'vcl' | 'wine';
export const FAMILIES: Family[] = ['gtk3', 'gtk4', 'qt5', 'swing', 'tk', 'vcl', 'wine'];

/**
 * Families never looked at while tuning the engine: the release figures are measured on them
 * (leave-one-family-out). Changing this list after tuning on a family voids the held-out figure.
 * `wine` was held out until Wine's menus and file dialogs were studied (menus.ts, screen-data.ts).
 */
export const HELD_OUT_FAMILIES: readonly Family[] = ['qt5', 'vcl'];

export type Language = 'en' | 'fr';

export interface DesktopScenario {
  /** Unique, e.g. gtk3-zenity-forms-adwaita-dark-fr-x1. */
  id: string;
  family: Family;
  /** The program and screen, the same for a user across themes and languages. */
  template: string;
  theme: string;
  scale: number;
  lang: Language;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Pattern of the title of the window to wait for. */
  window: string;
  /**
   * Where the ground truth comes from: the AT-SPI tree, or the JSON file the program writes
   * (Tk has no accessibility bridge); `{out}` in args is replaced by that file's path; or, under
   * Wine (no bridge either), what Win32 itself says of the windows of `win32.process`.
   */
  truth: 'atspi' | 'program' | 'win32';
  /** A Win32 program under Wine: its process, and the prefix's language, DPI and look. */
  win32?: { process: string; look: WineLook };
  /** The toolkit reports logical pixels: multiply its boxes by the scale. */
  logicalCoordinates: boolean;
  /** Before the screenshot: accessible names to click in turn ("File|Fichier" = either). */
  open?: string[];
  /** Keys to press before the screenshot, in xdotool syntax. */
  keys?: string[];
  /**
   * Targets whose reported box was found wrong by looking at the screenshot ("tab:Feuille1"):
   * kept as ignored elements, never asked for.
   */
  distrust?: string[];
  /** Seconds the program needs to come up (LibreOffice starts slowly). */
  startSeconds?: number;
}

const PROGRAMS = path.join(REPO_ROOT, 'bench', 'corpus', 'programs');
const QT_EXAMPLES = '/usr/lib/x86_64-linux-gnu/qt5/examples/widgets';

function localeEnv(lang: Language): Record<string, string> {
  const locale = lang === 'fr' ? 'fr_FR.UTF-8' : 'en_US.UTF-8';
  return { LANG: locale, LC_ALL: locale, LANGUAGE: lang };
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const scaleTag = (scale: number) => `x${String(scale).replace('.', '_')}`;

interface Variant {
  theme: string;
  lang: Language;
  scale?: number;
  open?: string[];
  keys?: string[];
  state?: string;
  distrust?: string[];
}

function gtk(template: string, command: string, args: string[], window: string, variants: Variant[]) {
  return variants.map((v): DesktopScenario => ({
    id: `gtk3-${template}${v.state ? `-${v.state}` : ''}-${slug(v.theme)}-${v.lang}-${scaleTag(v.scale ?? 1)}`,
    family: 'gtk3',
    template: `gtk3-${template}${v.state ? `-${v.state}` : ''}`,
    theme: `gtk3-${v.theme}`,
    scale: v.scale ?? 1,
    lang: v.lang,
    command,
    args,
    env: { ...localeEnv(v.lang), GTK_THEME: v.theme, GDK_SCALE: String(v.scale ?? 1) },
    window,
    truth: 'atspi',
    logicalCoordinates: true,
    open: v.open,
    keys: v.keys,
  }));
}

function qt(template: string, binary: string, args: string[], window: string, variants: Variant[]) {
  return variants.map((v): DesktopScenario => ({
    id: `qt5-${template}${v.state ? `-${v.state}` : ''}-${slug(v.theme)}-${v.lang}-${scaleTag(v.scale ?? 1)}`,
    family: 'qt5',
    template: `qt5-${template}${v.state ? `-${v.state}` : ''}`,
    theme: `qt5-${v.theme}`,
    scale: v.scale ?? 1,
    lang: v.lang,
    command: path.join(QT_EXAMPLES, binary),
    args: ['-style', v.theme, ...args],
    env: {
      ...localeEnv(v.lang),
      QT_LINUX_ACCESSIBILITY_ALWAYS_ON: '1',
      QT_ACCESSIBILITY: '1',
      QT_SCALE_FACTOR: String(v.scale ?? 1),
    },
    window,
    truth: 'atspi',
    logicalCoordinates: true,
    open: v.open,
    keys: v.keys,
  }));
}

function swing(state: string, variants: Variant[]) {
  return variants.map((v): DesktopScenario => ({
    id: `swing-form-${state}-${v.theme}-${v.lang}-${scaleTag(v.scale ?? 1)}`,
    family: 'swing',
    template: `swing-form-${state}`,
    theme: `swing-${v.theme}`,
    scale: v.scale ?? 1,
    lang: v.lang,
    command: 'java',
    args: [
      '-Djavax.accessibility.assistive_technologies=org.GNOME.Accessibility.AtkWrapper',
      '-Djava.library.path=/usr/lib/x86_64-linux-gnu/jni',
      `-Dsun.java2d.uiScale=${v.scale ?? 1}`,
      `-Duser.language=${v.lang}`,
      '-cp',
      '{classes}:/usr/share/java/java-atk-wrapper.jar',
      'CorpusForm',
      v.theme,
      v.lang,
      state,
    ],
    env: localeEnv(v.lang),
    window: v.lang === 'fr' ? 'Fiche client' : 'Customer record',
    truth: 'atspi',
    logicalCoordinates: true,
  }));
}

function tk(state: string, variants: Variant[]) {
  return variants.map((v): DesktopScenario => ({
    id: `tk-form-${state}-${v.theme}-${v.lang}-x1`,
    family: 'tk',
    template: `tk-form-${state}`,
    theme: `tk-${v.theme}`,
    scale: 1,
    lang: v.lang,
    command: '/usr/bin/python3',
    args: [path.join(PROGRAMS, 'tk_form.py'), v.theme, v.lang, state, '{out}'],
    env: localeEnv(v.lang),
    window: v.lang === 'fr' ? 'Bon de commande' : 'Purchase order',
    truth: 'program',
    logicalCoordinates: false,
  }));
}

function calc(state: string, variants: Variant[]) {
  return variants.map((v): DesktopScenario => ({
    id: `vcl-calc-${state}-${slug(v.theme)}-${v.lang}-x1`,
    family: 'vcl',
    template: `vcl-calc-${state}`,
    theme: `vcl-${v.theme}`,
    scale: 1,
    lang: v.lang,
    command: 'soffice',
    args: ['--calc', '--norestore', '--nologo', '--nolockcheck', '-env:UserInstallation=file://{profile}'],
    env: { ...localeEnv(v.lang), SAL_USE_VCLPLUGIN: 'gtk3', GTK_THEME: v.theme },
    window: 'LibreOffice Calc',
    truth: 'atspi',
    logicalCoordinates: true,
    open: v.open,
    keys: v.keys,
    distrust: v.distrust,
    startSeconds: 8,
  }));
}

/**
 * GTK 4 with libadwaita (a look of its own: flat, rounded, pill buttons, popovers), drawn by
 * our program; it writes its truth itself (GTK 4.8's accessibility bridge gives boxes relative
 * to the window), in device pixels.
 */
function gtk4(state: string, variants: Variant[]) {
  return variants.map((v): DesktopScenario => ({
    id: `gtk4-${state}-${v.theme}-${v.lang}-${scaleTag(v.scale ?? 1)}`,
    family: 'gtk4',
    template: `gtk4-${state}`,
    theme: `gtk4-${v.theme}`,
    scale: v.scale ?? 1,
    lang: v.lang,
    command: '/usr/bin/python3',
    args: [path.join(PROGRAMS, 'gtk4_form.py'), v.theme, v.lang, state, '{out}'],
    env: { ...localeEnv(v.lang), GDK_BACKEND: 'x11', GSK_RENDERER: 'cairo', GDK_SCALE: String(v.scale ?? 1) },
    window: GTK4_TITLES[state][v.lang],
    truth: 'program',
    logicalCoordinates: false,
  }));
}

const GTK4_PATIENT = { en: 'Patient record', fr: 'Dossier patient' };
const GTK4_TITLES: Record<string, Record<Language, string>> = {
  form: GTK4_PATIENT,
  dialog: GTK4_PATIENT,
  menu: GTK4_PATIENT,
  keypad: { en: 'Calculator', fr: 'Calculatrice' },
  list: { en: 'Visits', fr: 'Consultations' },
};

interface WineVariant extends Variant {
  theme: WineTheme;
}

/**
 * A program of Wine's own (notepad, wordpad, regedit, winecfg), translated by Wine itself;
 * `executable` where Wine does not find it by name.
 */
function wine(program: string, window: string, variants: WineVariant[], executable = program) {
  return variants.map((v): DesktopScenario => {
    const scale = v.scale ?? 1;
    const template = `wine-${program}${v.state ? `-${v.state}` : ''}`;
    return {
      id: `${template}-${v.theme}-${v.lang}-${scaleTag(scale)}`,
      family: 'wine',
      template,
      theme: `wine-${v.theme}`,
      scale,
      lang: v.lang,
      command: 'wine',
      args: [executable],
      env: {},
      window,
      truth: 'win32',
      win32: { process: `${program}.exe`, look: { lang: v.lang, scale, theme: v.theme } },
      // The reader asks Win32 for the screen's pixels, whatever DPI the program believes in.
      logicalCoordinates: false,
      open: v.open,
      keys: v.keys,
      distrust: v.distrust,
      startSeconds: 2,
    };
  });
}

const FILE = 'File|Fichier';
const NOTEPAD = 'Notepad|Bloc-notes';

export const DESKTOP_SCENARIOS: DesktopScenario[] = [
  ...gtk(
    'zenity-forms',
    'zenity',
    [
      '--forms',
      '--title=Patient',
      '--text=Dossier patient',
      '--add-entry=Nom',
      '--add-entry=Prénom',
      '--add-password=Code',
      '--add-combo=Mutuelle',
      '--combo-values=MGEN|Aucune',
      '--add-entry=Téléphone',
    ],
    'Patient',
    [
      { theme: 'Adwaita', lang: 'en' },
      { theme: 'Adwaita:dark', lang: 'fr' },
      { theme: 'HighContrast', lang: 'en' },
      { theme: 'Adwaita', lang: 'fr', scale: 2 },
    ],
  ),
  ...gtk(
    'zenity-question',
    'zenity',
    ['--question', '--title=Confirmation', '--text=Valider la facture FAC-2024-0042 ?'],
    'Confirmation',
    [
      { theme: 'Adwaita', lang: 'fr' },
      { theme: 'HighContrast', lang: 'en' },
    ],
  ),
  ...gtk('zenity-file', 'zenity', ['--file-selection', '--title=Choose a file', '--filename=/usr/share/'], 'Choose', [
    { theme: 'Adwaita', lang: 'en' },
    { theme: 'Adwaita:dark', lang: 'fr' },
  ]),
  ...gtk('zenity-login', 'zenity', ['--password', '--username', '--title=Connexion'], 'Connexion', [
    { theme: 'Adwaita', lang: 'fr' },
    { theme: 'Adwaita:dark', lang: 'en', scale: 2 },
  ]),
  ...gtk('mousepad', 'mousepad', [], 'Mousepad', [
    { theme: 'Adwaita', lang: 'en', state: 'file-menu', open: [FILE] },
    { theme: 'Adwaita:dark', lang: 'fr', state: 'file-menu', open: [FILE] },
    { theme: 'HighContrast', lang: 'fr', state: 'edit-menu', open: ['Edit|Édition'] },
    {
      theme: 'Adwaita',
      lang: 'en',
      state: 'preferences',
      open: ['Edit|Édition', 'Preferences...|Préférences…|Préférences...'],
    },
  ]),
  ...gtk('galculator', 'galculator', [], 'galculator', [
    { theme: 'Adwaita', lang: 'en' },
    { theme: 'Adwaita:dark', lang: 'fr' },
    { theme: 'HighContrast', lang: 'en', scale: 2 },
  ]),
  ...gtk(
    'yad-form',
    'yad',
    [
      '--form',
      '--title=Paramètres',
      '--field=Dossier des exports',
      '/home/exports',
      '--field=Vérifier les mises à jour:CHK',
      'TRUE',
      '--field=Langue:CB',
      'English!Français',
      '--button=Appliquer:0',
      '--button=Fermer:1',
    ],
    'Paramètres',
    [
      { theme: 'Adwaita', lang: 'fr' },
      { theme: 'HighContrast', lang: 'fr' },
    ],
  ),

  ...qt('gallery', 'gallery/gallery', [], 'Widget Gallery', [
    { theme: 'fusion', lang: 'en' },
    { theme: 'windows', lang: 'en' },
    { theme: 'fusion', lang: 'fr', scale: 1.5 },
    { theme: 'windows', lang: 'fr', scale: 2 },
  ]),
  ...qt('tabdialog', 'dialogs/tabdialog/tabdialog', ['/usr/share'], 'Tab Dialog', [
    { theme: 'fusion', lang: 'en' },
    { theme: 'windows', lang: 'fr', scale: 1.5 },
  ]),
  ...qt('standarddialogs', 'dialogs/standarddialogs/standarddialogs', [], 'Standard Dialogs', [
    { theme: 'fusion', lang: 'fr' },
    { theme: 'windows', lang: 'en' },
  ]),
  ...qt('calculator', 'widgets/calculator/calculator', [], 'Calculator', [
    { theme: 'fusion', lang: 'en' },
    { theme: 'windows', lang: 'fr', scale: 2 },
  ]),
  ...qt('menus', 'mainwindows/menus/menus', [], 'Menus', [
    { theme: 'fusion', lang: 'en', state: 'file-menu', open: ['File'] },
    { theme: 'windows', lang: 'fr', state: 'edit-menu', open: ['Edit'] },
  ]),
  ...qt('findfiles', 'dialogs/findfiles/findfiles', [], 'Find Files', [
    { theme: 'fusion', lang: 'fr' },
    { theme: 'windows', lang: 'en', scale: 1.5 },
  ]),
  ...qt('licensewizard', 'dialogs/licensewizard/licensewizard', [], 'License Wizard', [
    { theme: 'fusion', lang: 'en' },
  ]),

  ...swing('form', [
    { theme: 'metal', lang: 'en' },
    { theme: 'nimbus', lang: 'fr' },
    { theme: 'metal', lang: 'fr', scale: 2 },
    { theme: 'nimbus', lang: 'en', scale: 2 },
  ]),
  ...swing('dialog', [
    { theme: 'metal', lang: 'en' },
    { theme: 'nimbus', lang: 'fr' },
  ]),
  ...swing('chooser', [
    { theme: 'metal', lang: 'fr' },
    { theme: 'nimbus', lang: 'en' },
  ]),
  ...swing('invoices', [{ theme: 'nimbus', lang: 'fr' }]),

  ...tk('form', [
    { theme: 'clam', lang: 'en' },
    { theme: 'alt', lang: 'fr' },
    { theme: 'default', lang: 'en' },
    { theme: 'classic', lang: 'fr' },
  ]),
  ...tk('list', [
    { theme: 'clam', lang: 'fr' },
    { theme: 'classic', lang: 'en' },
  ]),

  ...gtk4('form', [
    { theme: 'light', lang: 'en' },
    { theme: 'dark', lang: 'fr' },
    { theme: 'hc', lang: 'en' },
    { theme: 'light', lang: 'fr', scale: 2 },
  ]),
  ...gtk4('dialog', [
    { theme: 'light', lang: 'fr' },
    { theme: 'dark', lang: 'en', scale: 2 },
    { theme: 'hc', lang: 'fr' },
  ]),
  ...gtk4('keypad', [
    { theme: 'light', lang: 'en' },
    { theme: 'dark', lang: 'fr' },
    { theme: 'light', lang: 'en', scale: 2 },
  ]),
  ...gtk4('menu', [
    { theme: 'light', lang: 'en' },
    { theme: 'dark', lang: 'fr' },
    { theme: 'hc', lang: 'en', scale: 2 },
  ]),
  ...gtk4('list', [
    { theme: 'light', lang: 'fr' },
    { theme: 'dark', lang: 'en' },
    { theme: 'light', lang: 'en', scale: 2 },
  ]),

  ...calc('main', [
    { theme: 'Adwaita', lang: 'en' },
    { theme: 'Adwaita:dark', lang: 'fr' },
  ]),
  // With a menu open, LibreOffice reports its sheet tabs 25 px above where they are drawn.
  ...calc('file-menu', [{ theme: 'Adwaita', lang: 'fr', open: [FILE], distrust: ['tab:Feuille1'] }]),
  ...calc('format-cells', [{ theme: 'Adwaita', lang: 'en', keys: ['ctrl+1'] }]),

  ...wine('notepad', NOTEPAD, [
    { theme: 'classic', lang: 'en' },
    { theme: 'light', lang: 'fr' },
    { theme: 'classic', lang: 'fr', scale: 1.5 },
    { theme: 'light', lang: 'en', scale: 2 },
    { theme: 'classic', lang: 'en', state: 'file-menu', open: [FILE] },
    { theme: 'light', lang: 'fr', state: 'file-menu', open: [FILE] },
    { theme: 'classic', lang: 'en', state: 'font', open: ['Edit|Édition', 'Font...|Police...'] },
    { theme: 'classic', lang: 'fr', scale: 1.5, state: 'font', open: ['Edit|Édition', 'Font...|Police...'] },
    { theme: 'classic', lang: 'fr', state: 'save-as', open: [FILE, 'Save as...|Enregistrer sous...'] },
    { theme: 'light', lang: 'en', state: 'save-as', open: [FILE, 'Save as...|Enregistrer sous...'] },
    { theme: 'classic', lang: 'en', state: 'find', open: ['Search|Rechercher', 'Search...|Find...|Rechercher...'] },
    {
      theme: 'light',
      lang: 'en',
      scale: 2,
      state: 'find',
      open: ['Search|Rechercher', 'Search...|Find...|Rechercher...'],
    },
    { theme: 'classic', lang: 'fr', state: 'page-setup', open: [FILE, 'Page Setup...|Mise en page...'] },
    { theme: 'light', lang: 'en', state: 'page-setup', open: [FILE, 'Page Setup...|Mise en page...'] },
  ]),
  ...wine(
    'wordpad',
    'Wordpad|WordPad',
    [
      { theme: 'classic', lang: 'en' },
      { theme: 'classic', lang: 'fr', scale: 1.5 },
    ],
    'C:\\Program Files\\Windows NT\\Accessories\\wordpad.exe',
  ),
  ...wine('regedit', 'Regist', [
    { theme: 'light', lang: 'en' },
    { theme: 'classic', lang: 'fr' },
    { theme: 'light', lang: 'en', scale: 2 },
  ]),
  ...wine('winecfg', 'Wine', [
    { theme: 'classic', lang: 'en' },
    { theme: 'light', lang: 'fr' },
    { theme: 'classic', lang: 'fr', scale: 1.5, state: 'graphics', open: ['Graphics|Affichage'] },
    { theme: 'light', lang: 'en', state: 'graphics', open: ['Graphics|Affichage'] },
  ]),
];
