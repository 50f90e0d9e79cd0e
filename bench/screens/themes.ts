/**
 * Visual themes of the benchmark screens. Each theme is one stylesheet over the same markup, the
 * way one business application looks on different desktops: a modern flat web app, a dark mode,
 * a Windows-95-like "classic grey" legacy client, a material-like app that upper-cases its buttons
 * and puts every label above its field, and a high-contrast accessibility theme.
 * Fonts are the ones Debian ships (DejaVu, Liberation, Nimbus), so renders are reproducible.
 */

/** Layout shared by every theme; themes only set colours, borders, fonts and label placement. */
const BASE_CSS = `
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; }
body { font-family: var(--font); font-size: var(--size); color: var(--fg); background: var(--desk); }
.window { position: absolute; inset: 0; display: flex; flex-direction: column; background: var(--bg); }
.titlebar { display: flex; align-items: center; height: 30px; padding: 0 6px 0 10px; background: var(--title-bg); color: var(--title-fg); font-weight: bold; flex: none; }
.titlebar .title { flex: 1; white-space: nowrap; overflow: hidden; }
.titlebar .winbtn { width: 22px; height: 20px; margin-left: 4px; padding: 0; display: inline-flex; align-items: center; justify-content: center; background: var(--winbtn-bg); color: var(--title-fg); border: var(--winbtn-border); }
.titlebar .winbtn svg { width: 12px; height: 12px; }
.menubar { display: flex; gap: 2px; padding: 2px 6px; background: var(--bar-bg); border-bottom: 1px solid var(--line); flex: none; position: relative; }
.menubar .menu-title { padding: 4px 10px; cursor: default; }
.menubar .menu-title.open { background: var(--accent); color: var(--accent-fg); }
.menu-pop { position: absolute; top: 100%; min-width: 210px; padding: 4px 0; background: var(--surface); border: 1px solid var(--line-strong); box-shadow: var(--pop-shadow); z-index: 20; }
.menu-pop .menu-item { display: flex; justify-content: space-between; gap: 24px; padding: 6px 16px 6px 24px; }
.menu-pop .menu-item .shortcut { color: var(--muted); }
.menu-pop .menu-item.hot { background: var(--accent); color: var(--accent-fg); }
.menu-pop .menu-item.hot .shortcut { color: var(--accent-fg); }
.menu-pop hr { border: 0; border-top: 1px solid var(--line); margin: 4px 0; }
.toolbar { display: flex; align-items: center; gap: 6px; padding: 6px 10px; background: var(--bar-bg); border-bottom: 1px solid var(--line); flex: none; }
.toolbar .sep { width: 1px; align-self: stretch; background: var(--line); margin: 0 4px; }
.body { flex: 1; display: flex; min-height: 0; }
.sidebar { width: 190px; flex: none; padding: 12px 0; background: var(--side-bg); border-right: 1px solid var(--line); }
.sidebar .nav { padding: 7px 18px; }
.sidebar .current { font-weight: bold; }
.content { flex: 1; padding: 16px 22px; overflow: hidden; position: relative; }
h1 { font-size: 1.45em; margin: 0 0 14px 0; font-weight: var(--h-weight); }
h2 { font-size: 1.12em; margin: 16px 0 10px 0; font-weight: var(--h-weight); }
p { margin: 0 0 10px 0; }
a { color: var(--link); text-decoration: underline; cursor: pointer; }
.card { background: var(--surface); border: var(--card-border); box-shadow: var(--card-shadow); border-radius: var(--radius); padding: 14px 18px; margin-bottom: 14px; }
.row { display: flex; gap: 28px; flex-wrap: wrap; align-items: flex-start; }
.col { flex: 1 1 300px; min-width: 260px; }
.field { margin: 0 0 12px 0; }
.field.left { display: flex; align-items: center; }
.field.left > label { width: var(--label-w); flex: none; padding-right: 10px; }
.field.above > label { display: block; margin-bottom: 4px; }
.field > label { color: var(--label-fg); }
input.text, select { font: inherit; color: var(--input-fg); background: var(--input-bg); border: var(--input-border); border-radius: var(--radius); height: var(--control-h); padding: 0 8px; width: 240px; box-shadow: var(--input-shadow); }
input.text::placeholder { color: var(--placeholder); opacity: 1; }
select { appearance: none; -webkit-appearance: none; padding-right: 28px; background-image: var(--arrow); background-repeat: no-repeat; background-position: right 8px center; background-size: 12px 12px; }
.choices { display: flex; gap: 18px; align-items: center; flex-wrap: wrap; }
.choice { display: inline-flex; align-items: center; gap: 7px; }
input[type=checkbox], input[type=radio] { appearance: none; -webkit-appearance: none; margin: 0; width: var(--check); height: var(--check); flex: none; background: var(--input-bg) no-repeat center / 80% 80%; border: var(--check-border); box-shadow: var(--input-shadow); }
input[type=checkbox] { border-radius: var(--check-radius); }
input[type=radio] { border-radius: 50%; }
input[type=checkbox]:checked { background-color: var(--check-on-bg); background-image: var(--tick); border-color: var(--check-on-bg); }
input[type=radio]:checked { background-image: radial-gradient(circle, var(--radio-dot) 0 34%, transparent 40%); background-size: 100% 100%; }
.btn { font: inherit; display: inline-flex; align-items: center; justify-content: center; gap: 6px; height: var(--btn-h); padding: 0 16px; color: var(--btn-fg); background: var(--btn-bg); border: var(--btn-border); border-radius: var(--radius); box-shadow: var(--btn-shadow); text-transform: var(--btn-case); letter-spacing: var(--btn-spacing); font-weight: var(--btn-weight); cursor: pointer; white-space: nowrap; }
.btn.primary { color: var(--primary-fg); background: var(--primary-bg); border: var(--primary-border); }
.btn.danger { color: var(--danger-fg); background: var(--danger-bg); border: var(--primary-border); }
.btn.small { height: calc(var(--btn-h) - 6px); padding: 0 10px; }
.actions { display: flex; gap: 10px; margin-top: 10px; flex-wrap: wrap; align-items: center; }
.icon-btn { display: inline-flex; align-items: center; justify-content: center; width: calc(var(--btn-h) + 2px); height: calc(var(--btn-h) + 2px); padding: 0; color: var(--icon-fg); background: var(--icon-bg); border: var(--icon-border); border-radius: var(--radius); box-shadow: var(--btn-shadow); }
.icon-btn svg, .tool svg { width: 20px; height: 20px; }
.tool { display: inline-flex; flex-direction: column; align-items: center; gap: 2px; padding: 4px 8px; font: inherit; font-size: 0.88em; color: var(--fg); background: transparent; border: 1px solid transparent; border-radius: var(--radius); }
.tool svg { color: var(--icon-fg); }
.tabs { display: flex; gap: 2px; border-bottom: var(--tab-line); margin-bottom: 14px; }
.tab { padding: 8px 16px; color: var(--tab-fg); background: var(--tab-bg); border: var(--tab-border); border-bottom: none; border-radius: var(--radius) var(--radius) 0 0; text-transform: var(--btn-case); cursor: pointer; }
.tab.active { color: var(--tab-active-fg); background: var(--tab-active-bg); box-shadow: var(--tab-active-mark); font-weight: bold; }
table { border-collapse: collapse; width: 100%; background: var(--surface); }
th { text-align: left; padding: 8px 10px; background: var(--th-bg); color: var(--th-fg); border-bottom: 1px solid var(--line-strong); font-weight: bold; white-space: nowrap; }
td { padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
tr.alt td { background: var(--zebra); }
tr.selected td { background: var(--selected-bg); color: var(--selected-fg); }
.status { display: inline-block; padding: 2px 8px; border-radius: 10px; font-size: 0.9em; }
.status.todo { background: var(--todo-bg); color: var(--todo-fg); }
.status.done { background: var(--done-bg); color: var(--done-fg); }
.status.refused { background: var(--refused-bg); color: var(--refused-fg); }
.pager { display: flex; gap: 16px; align-items: center; margin-top: 10px; }
.backdrop { position: absolute; inset: 0; background: var(--backdrop); z-index: 30; }
.dialog { position: absolute; z-index: 31; left: 50%; top: 42%; transform: translate(-50%, -50%); width: 440px; background: var(--surface); border: var(--dialog-border); border-radius: var(--radius); box-shadow: var(--pop-shadow); }
.dialog .dtitle { padding: 8px 14px; background: var(--dialog-title-bg); color: var(--dialog-title-fg); font-weight: bold; }
.dialog .dbody { padding: 16px 18px 6px 18px; }
.dialog .actions { justify-content: flex-end; padding: 0 18px 16px 18px; }
.textarea { border: var(--input-border); background: var(--input-bg); color: var(--input-fg); padding: 12px; height: 260px; line-height: 1.5; box-shadow: var(--input-shadow); }
.kpis { display: flex; gap: 14px; flex-wrap: wrap; margin-bottom: 8px; }
.kpi { flex: 1 1 160px; }
.kpi .big { font-size: 1.6em; font-weight: bold; }
.muted { color: var(--muted); }
.searchbar { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-bottom: 12px; }
`;

/** Inline SVG used by themes (data URIs need the colour baked in). */
function svgData(svg: string): string {
  return `url("data:image/svg+xml;utf8,${encodeURIComponent(svg)}")`;
}
const arrow = (color: string) =>
  svgData(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 12 12"><path d="M1 4l5 5 5-5" fill="none" stroke="${color}" stroke-width="2"/></svg>`,
  );
const tick = (color: string) =>
  svgData(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 12 12"><path d="M2 6.5l2.6 2.6L10 3.5" fill="none" stroke="${color}" stroke-width="2"/></svg>`,
  );

const BEVEL_OUT = 'inset -1px -1px #0a0a0a, inset 1px 1px #ffffff, inset -2px -2px #808080, inset 2px 2px #dfdfdf';
const BEVEL_IN = 'inset -1px -1px #ffffff, inset 1px 1px #808080, inset -2px -2px #dfdfdf, inset 2px 2px #0a0a0a';

export interface Theme {
  name: string;
  css: string;
}

function theme(name: string, vars: Record<string, string>, extra = ''): Theme {
  const body = Object.entries(vars)
    .map(([k, v]) => `--${k}: ${v};`)
    .join(' ');
  return { name, css: `${BASE_CSS}\n:root { ${body} }\n${extra}` };
}

export const THEMES: Theme[] = [
  theme('flat-blue', {
    font: '"Liberation Sans", sans-serif',
    size: '14px',
    fg: '#1f2933',
    bg: '#f4f6f9',
    desk: '#f4f6f9',
    muted: '#6b7785',
    'title-bg': '#1a4f9c',
    'title-fg': '#ffffff',
    'winbtn-bg': 'transparent',
    'winbtn-border': '0',
    'bar-bg': '#ffffff',
    'side-bg': '#e9eef5',
    line: '#d8dee6',
    'line-strong': '#b8c2cf',
    surface: '#ffffff',
    'pop-shadow': '0 6px 18px rgba(0,0,0,.18)',
    accent: '#1a73e8',
    'accent-fg': '#ffffff',
    link: '#1a5fc4',
    'card-border': '1px solid #d8dee6',
    'card-shadow': 'none',
    radius: '4px',
    'label-w': '150px',
    'label-fg': '#33404d',
    'input-fg': '#1f2933',
    'input-bg': '#ffffff',
    'input-border': '1px solid #b7c1cd',
    'input-shadow': 'none',
    'control-h': '32px',
    placeholder: '#8a95a3',
    arrow: arrow('#4a5563'),
    check: '16px',
    'check-border': '1px solid #8a96a5',
    'check-radius': '3px',
    'check-on-bg': '#1a73e8',
    tick: tick('#ffffff'),
    'radio-dot': '#1a73e8',
    'btn-h': '32px',
    'btn-fg': '#1f2933',
    'btn-bg': '#ffffff',
    'btn-border': '1px solid #b7c1cd',
    'btn-shadow': 'none',
    'btn-case': 'none',
    'btn-spacing': 'normal',
    'btn-weight': 'normal',
    'primary-fg': '#ffffff',
    'primary-bg': '#1a73e8',
    'primary-border': '1px solid transparent',
    'danger-fg': '#ffffff',
    'danger-bg': '#d93025',
    'icon-fg': '#3c4a5a',
    'icon-bg': '#ffffff',
    'icon-border': '1px solid #c9d1db',
    'tab-line': '1px solid #c9d1db',
    'tab-fg': '#4a5563',
    'tab-bg': 'transparent',
    'tab-border': '1px solid transparent',
    'tab-active-fg': '#1a73e8',
    'tab-active-bg': '#ffffff',
    'tab-active-mark': 'inset 0 -3px #1a73e8',
    'th-bg': '#eef2f7',
    'th-fg': '#33404d',
    zebra: '#f8fafc',
    'selected-bg': '#dbe8fd',
    'selected-fg': '#1f2933',
    'todo-bg': '#fff1cc',
    'todo-fg': '#7a5a00',
    'done-bg': '#d7f2df',
    'done-fg': '#1d6b35',
    'refused-bg': '#fde0de',
    'refused-fg': '#a1261c',
    backdrop: 'rgba(15,23,42,.45)',
    'dialog-border': '1px solid #b8c2cf',
    'dialog-title-bg': '#ffffff',
    'dialog-title-fg': '#1f2933',
    'h-weight': 'bold',
  }),
  theme('dark', {
    font: '"DejaVu Sans", sans-serif',
    size: '13px',
    fg: '#e4e6eb',
    bg: '#18191c',
    desk: '#18191c',
    muted: '#9aa0a8',
    'title-bg': '#0f1012',
    'title-fg': '#d5d8dd',
    'winbtn-bg': 'transparent',
    'winbtn-border': '0',
    'bar-bg': '#222327',
    'side-bg': '#1f2024',
    line: '#34363c',
    'line-strong': '#4a4d55',
    surface: '#232428',
    'pop-shadow': '0 8px 24px rgba(0,0,0,.6)',
    accent: '#2f7d74',
    'accent-fg': '#ffffff',
    link: '#6cb6ff',
    'card-border': '1px solid #34363c',
    'card-shadow': 'none',
    radius: '6px',
    'label-w': '160px',
    'label-fg': '#c4c8cf',
    'input-fg': '#e4e6eb',
    'input-bg': '#2c2e33',
    'input-border': '1px solid #4a4d55',
    'input-shadow': 'none',
    'control-h': '32px',
    placeholder: '#80868f',
    arrow: arrow('#c4c8cf'),
    check: '16px',
    'check-border': '1px solid #6a6e77',
    'check-radius': '4px',
    'check-on-bg': '#14a38b',
    tick: tick('#0b1a17'),
    'radio-dot': '#14a38b',
    'btn-h': '32px',
    'btn-fg': '#e4e6eb',
    'btn-bg': '#34363c',
    'btn-border': '1px solid #4a4d55',
    'btn-shadow': 'none',
    'btn-case': 'none',
    'btn-spacing': 'normal',
    'btn-weight': 'normal',
    'primary-fg': '#06140f',
    'primary-bg': '#14a38b',
    'primary-border': '1px solid transparent',
    'danger-fg': '#ffffff',
    'danger-bg': '#b3372f',
    'icon-fg': '#c4c8cf',
    'icon-bg': '#2c2e33',
    'icon-border': '1px solid #4a4d55',
    'tab-line': '1px solid #3a3d44',
    'tab-fg': '#9aa0a8',
    'tab-bg': 'transparent',
    'tab-border': '1px solid transparent',
    'tab-active-fg': '#e4e6eb',
    'tab-active-bg': '#2c2e33',
    'tab-active-mark': 'inset 0 -2px #14a38b',
    'th-bg': '#2a2c31',
    'th-fg': '#c4c8cf',
    zebra: '#1f2024',
    'selected-bg': '#1d4a44',
    'selected-fg': '#ffffff',
    'todo-bg': '#4d3b0c',
    'todo-fg': '#ffd66b',
    'done-bg': '#123d25',
    'done-fg': '#7ee2a0',
    'refused-bg': '#4a1714',
    'refused-fg': '#ff9a8f',
    backdrop: 'rgba(0,0,0,.6)',
    'dialog-border': '1px solid #4a4d55',
    'dialog-title-bg': '#2a2c31',
    'dialog-title-fg': '#e4e6eb',
    'h-weight': 'normal',
  }),
  theme(
    'classic-grey',
    {
      font: '"DejaVu Sans", sans-serif',
      size: '12px',
      fg: '#000000',
      bg: '#c0c0c0',
      desk: '#008080',
      muted: '#404040',
      'title-bg': 'linear-gradient(90deg, #000080, #1084d0)',
      'title-fg': '#ffffff',
      'winbtn-bg': '#c0c0c0',
      'winbtn-border': '0',
      'bar-bg': '#c0c0c0',
      'side-bg': '#c0c0c0',
      line: '#808080',
      'line-strong': '#404040',
      surface: '#c0c0c0',
      'pop-shadow': BEVEL_OUT,
      accent: '#000080',
      'accent-fg': '#ffffff',
      link: '#0000ee',
      'card-border': '0',
      'card-shadow': BEVEL_OUT,
      radius: '0',
      'label-w': '140px',
      'label-fg': '#000000',
      'input-fg': '#000000',
      'input-bg': '#ffffff',
      'input-border': '0',
      'input-shadow': BEVEL_IN,
      'control-h': '24px',
      placeholder: '#808080',
      arrow: arrow('#000000'),
      check: '13px',
      'check-border': '0',
      'check-radius': '0',
      'check-on-bg': '#ffffff',
      tick: tick('#000000'),
      'radio-dot': '#000000',
      'btn-h': '26px',
      'btn-fg': '#000000',
      'btn-bg': '#c0c0c0',
      'btn-border': '0',
      'btn-shadow': BEVEL_OUT,
      'btn-case': 'none',
      'btn-spacing': 'normal',
      'btn-weight': 'normal',
      'primary-fg': '#000000',
      'primary-bg': '#c0c0c0',
      'primary-border': '1px solid #000000',
      'danger-fg': '#000000',
      'danger-bg': '#c0c0c0',
      'icon-fg': '#000000',
      'icon-bg': '#c0c0c0',
      'icon-border': '0',
      'tab-line': '1px solid #ffffff',
      'tab-fg': '#000000',
      'tab-bg': '#c0c0c0',
      'tab-border': '1px solid #808080',
      'tab-active-fg': '#000000',
      'tab-active-bg': '#c0c0c0',
      'tab-active-mark': 'inset 1px 1px #ffffff',
      'th-bg': '#c0c0c0',
      'th-fg': '#000000',
      zebra: '#ffffff',
      'selected-bg': '#000080',
      'selected-fg': '#ffffff',
      'todo-bg': 'transparent',
      'todo-fg': '#800000',
      'done-bg': 'transparent',
      'done-fg': '#006000',
      'refused-bg': 'transparent',
      'refused-fg': '#000000',
      backdrop: 'transparent',
      'dialog-border': '0',
      'dialog-title-bg': 'linear-gradient(90deg, #000080, #1084d0)',
      'dialog-title-fg': '#ffffff',
      'h-weight': 'bold',
    },
    // The legacy client: white table body in a sunken frame, square tool buttons, no rounded corners.
    `td { background: #ffffff; } table { box-shadow: ${BEVEL_IN}; } .titlebar .winbtn { color: #000; box-shadow: ${BEVEL_OUT}; width: 18px; height: 16px; }
     .tool { border: 0; } .textarea { background: #fff; } .sidebar .nav a { color: #000; }`,
  ),
  theme(
    'material',
    {
      font: '"Liberation Sans", sans-serif',
      size: '14px',
      fg: '#212121',
      bg: '#fafafa',
      desk: '#fafafa',
      muted: '#757575',
      'title-bg': '#6200ee',
      'title-fg': '#ffffff',
      'winbtn-bg': 'transparent',
      'winbtn-border': '0',
      'bar-bg': '#6200ee',
      'side-bg': '#ffffff',
      line: '#e0e0e0',
      'line-strong': '#bdbdbd',
      surface: '#ffffff',
      'pop-shadow': '0 5px 5px -3px rgba(0,0,0,.2), 0 8px 10px 1px rgba(0,0,0,.14)',
      accent: '#ede7f6',
      'accent-fg': '#311b92',
      link: '#6200ee',
      'card-border': '0',
      'card-shadow': '0 1px 3px rgba(0,0,0,.2), 0 1px 1px rgba(0,0,0,.14)',
      radius: '4px',
      'label-w': '150px',
      'label-fg': '#6200ee',
      'input-fg': '#212121',
      'input-bg': '#f5f5f5',
      'input-border': '0',
      'input-shadow': 'inset 0 -1px #8c8c8c',
      'control-h': '40px',
      placeholder: '#9e9e9e',
      arrow: arrow('#616161'),
      check: '18px',
      'check-border': '2px solid #616161',
      'check-radius': '2px',
      'check-on-bg': '#6200ee',
      tick: tick('#ffffff'),
      'radio-dot': '#6200ee',
      'btn-h': '36px',
      'btn-fg': '#6200ee',
      'btn-bg': 'transparent',
      'btn-border': '1px solid #c7c7c7',
      'btn-shadow': 'none',
      'btn-case': 'uppercase',
      'btn-spacing': '0.06em',
      'btn-weight': 'bold',
      'primary-fg': '#ffffff',
      'primary-bg': '#6200ee',
      'primary-border': '0',
      'danger-fg': '#ffffff',
      'danger-bg': '#b00020',
      'icon-fg': '#616161',
      'icon-bg': 'transparent',
      'icon-border': '0',
      'tab-line': '1px solid #e0e0e0',
      'tab-fg': '#616161',
      'tab-bg': 'transparent',
      'tab-border': '0',
      'tab-active-fg': '#6200ee',
      'tab-active-bg': 'transparent',
      'tab-active-mark': 'inset 0 -2px #6200ee',
      'th-bg': '#ffffff',
      'th-fg': '#616161',
      zebra: '#ffffff',
      'selected-bg': '#ede7f6',
      'selected-fg': '#212121',
      'todo-bg': '#fff3e0',
      'todo-fg': '#e65100',
      'done-bg': '#e8f5e9',
      'done-fg': '#2e7d32',
      'refused-bg': '#ffebee',
      'refused-fg': '#c62828',
      backdrop: 'rgba(0,0,0,.32)',
      'dialog-border': '0',
      'dialog-title-bg': '#ffffff',
      'dialog-title-fg': '#212121',
      'h-weight': 'normal',
    },
    // Material puts every label above its field and colours the app bar.
    `.field.left { display: block; } .field.left > label { display: block; width: auto; margin-bottom: 4px; font-size: 0.86em; }
     .menubar .menu-title { color: #ffffff; } .menubar .menu-title.open { background: #7c4dff; color: #fff; } .toolbar { background: #ffffff; }
     input.text, select { border-radius: 4px 4px 0 0; } .dialog .dtitle { font-size: 1.15em; padding-top: 16px; }`,
  ),
  theme(
    'high-contrast',
    {
      font: '"DejaVu Sans", sans-serif',
      size: '15px',
      fg: '#ffffff',
      bg: '#000000',
      desk: '#000000',
      muted: '#ffffff',
      'title-bg': '#000000',
      'title-fg': '#ffffff',
      'winbtn-bg': '#000000',
      'winbtn-border': '1px solid #ffffff',
      'bar-bg': '#000000',
      'side-bg': '#000000',
      line: '#ffffff',
      'line-strong': '#ffffff',
      surface: '#000000',
      'pop-shadow': 'none',
      accent: '#1aebff',
      'accent-fg': '#000000',
      link: '#ffff00',
      'card-border': '2px solid #ffffff',
      'card-shadow': 'none',
      radius: '0',
      'label-w': '170px',
      'label-fg': '#ffffff',
      'input-fg': '#ffffff',
      'input-bg': '#000000',
      'input-border': '2px solid #ffffff',
      'input-shadow': 'none',
      'control-h': '34px',
      placeholder: '#c0c0c0',
      arrow: arrow('#ffffff'),
      check: '18px',
      'check-border': '2px solid #ffffff',
      'check-radius': '0',
      'check-on-bg': '#1aebff',
      tick: tick('#000000'),
      'radio-dot': '#1aebff',
      'btn-h': '34px',
      'btn-fg': '#ffffff',
      'btn-bg': '#000000',
      'btn-border': '2px solid #ffffff',
      'btn-shadow': 'none',
      'btn-case': 'none',
      'btn-spacing': 'normal',
      'btn-weight': 'bold',
      'primary-fg': '#000000',
      'primary-bg': '#1aebff',
      'primary-border': '2px solid #1aebff',
      'danger-fg': '#000000',
      'danger-bg': '#ffff00',
      'icon-fg': '#ffffff',
      'icon-bg': '#000000',
      'icon-border': '2px solid #ffffff',
      'tab-line': '2px solid #ffffff',
      'tab-fg': '#ffffff',
      'tab-bg': '#000000',
      'tab-border': '2px solid #ffffff',
      'tab-active-fg': '#000000',
      'tab-active-bg': '#ffffff',
      'tab-active-mark': 'none',
      'th-bg': '#000000',
      'th-fg': '#ffff00',
      zebra: '#000000',
      'selected-bg': '#1aebff',
      'selected-fg': '#000000',
      'todo-bg': '#ffff00',
      'todo-fg': '#000000',
      'done-bg': '#3ff23f',
      'done-fg': '#000000',
      'refused-bg': '#ffffff',
      'refused-fg': '#000000',
      backdrop: 'rgba(0,0,0,.5)',
      'dialog-border': '2px solid #ffff00',
      'dialog-title-bg': '#000000',
      'dialog-title-fg': '#ffff00',
      'h-weight': 'bold',
    },
    `.titlebar { border-bottom: 2px solid #fff; } .menubar, .toolbar { border-bottom: 2px solid #fff; }`,
  ),
];

export function themeByName(name: string): Theme {
  const found = THEMES.find((t) => t.name === name);
  if (!found) throw new Error(`unknown theme "${name}" (known: ${THEMES.map((t) => t.name).join(', ')})`);
  return found;
}
