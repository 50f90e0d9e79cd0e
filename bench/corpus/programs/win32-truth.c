/*
 * The ground truth of a Win32 program's screen under Wine, for the desktop corpus of the grounding
 * benchmark: its visible windows and controls, as Win32 itself placed them, in the node format of
 * atspi-dump.py (Wine has no accessibility bridge).
 *
 *   x86_64-w64-mingw32-gcc -O2 -municode win32-truth.c -lgdi32 [-shared] -o win32-truth.{exe,dll}
 *   wine win32-truth.exe PROGRAM.exe      prints {"app": ..., "nodes": [...]} on stdout
 *
 * Wine keeps a menu, and the items of a tab strip, list or tree view, in the process that made
 * them: another process cannot read them (GetMenuItemRect of a foreign menu fails). So this file
 * is built twice, as win32-truth.exe and win32-truth.dll: the exe hooks the program's window
 * thread with the dll (SetWindowsHookEx, which makes Wine load the dll into that process), and
 * the dll reads the windows from inside, on their own thread, into a shared memory block that
 * the exe prints.
 */
#include <windows.h>
#include <commctrl.h>
#include <dlgs.h>
#include <stdio.h>
#include <string.h>
#include <tlhelp32.h>
#include <wchar.h>

#define SHARED_NAME L"rpa_win32_truth"
#define OUT_SIZE (8 << 20)

struct shared {
  volatile LONG done;
  DWORD length;
  char json[OUT_SIZE];
};

/* --- the writer (in the program's process) ------------------------------------------------- */

static struct shared *out;
static int nodeCount;

static void put(const char *s) {
  size_t n = strlen(s);
  if (out->length + n < OUT_SIZE) {
    memcpy(out->json + out->length, s, n);
    out->length += (DWORD)n;
  }
}

/* A JSON string, UTF-8. */
static void putString(const WCHAR *w) {
  char utf8[4096];
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, utf8, sizeof utf8, NULL, NULL);
  if (n <= 0) utf8[0] = 0;
  put("\"");
  char buf[8];
  for (const unsigned char *p = (const unsigned char *)utf8; *p; p++) {
    if (*p == '"' || *p == '\\') {
      buf[0] = '\\', buf[1] = (char)*p, buf[2] = 0;
      put(buf);
    } else if (*p < 0x20) {
      snprintf(buf, sizeof buf, "\\u%04x", *p);
      put(buf);
    } else {
      buf[0] = (char)*p, buf[1] = 0;
      put(buf);
    }
  }
  put("\"");
}

/* What a user reads: "&Save As...\tCtrl+S" is shown as "Save As..." with an underlined S. */
static void readable(const WCHAR *in, WCHAR *outText, size_t size, BOOL prefixes) {
  size_t j = 0;
  for (size_t i = 0; in[i] && in[i] != L'\t' && j + 1 < size; i++) {
    if (prefixes && in[i] == L'&') {
      if (in[i + 1] == L'&') outText[j++] = L'&', i++;
      continue;
    }
    outText[j++] = in[i];
  }
  outText[j] = 0;
}

/* One node; returns its index. A field's node names the label it is known by. */
static int field(int parent, int depth, const char *role, const WCHAR *name, RECT r, BOOL showing, BOOL enabled,
                 BOOL editable, const WCHAR *labelledBy) {
  char buf[256];
  int i = nodeCount++;
  if (i > 0) put(",\n");
  snprintf(buf, sizeof buf, "{\"i\":%d,\"parent\":%d,\"depth\":%d,\"role\":\"%s\",\"name\":", i, parent, depth, role);
  put(buf);
  putString(name ? name : L"");
  snprintf(buf, sizeof buf, ",\"box\":[%ld,%ld,%ld,%ld],\"states\":[%s%s%s]", r.left, r.top, r.right - r.left,
           r.bottom - r.top, showing ? "\"showing\",\"visible\"" : "\"visible\"", enabled ? ",\"enabled\"" : "",
           editable ? ",\"editable\"" : "");
  put(buf);
  if (labelledBy && labelledBy[0]) {
    put(",\"labelled_by\":");
    putString(labelledBy);
  }
  put("}");
  return i;
}

static int node(int parent, int depth, const char *role, const WCHAR *name, RECT r, BOOL showing, BOOL enabled) {
  return field(parent, depth, role, name, r, showing, enabled, FALSE, NULL);
}

static void classOf(HWND w, WCHAR *cls, int size) {
  if (!GetClassNameW(w, cls, size)) cls[0] = 0;
}

static BOOL hasClass(HWND w, const WCHAR *name) {
  WCHAR cls[64];
  classOf(w, cls, 64);
  return _wcsicmp(cls, name) == 0;
}

static void textOf(HWND w, WCHAR *text, int size, BOOL prefixes) {
  WCHAR raw[1024];
  raw[0] = 0;
  GetWindowTextW(w, raw, 1024);
  readable(raw, text, size, prefixes);
}

/* The label of a field, as Windows' own accessibility names one: the static text just before it. */
static void labelOf(HWND w, WCHAR *label, int size) {
  label[0] = 0;
  for (HWND p = GetWindow(w, GW_HWNDPREV); p; p = GetWindow(p, GW_HWNDPREV)) {
    if (!IsWindowVisible(p)) continue;
    if (hasClass(p, L"Static")) textOf(p, label, size, !(GetWindowLongW(p, GWL_STYLE) & SS_NOPREFIX));
    return;
  }
}

static void toScreen(HWND w, RECT *r) { MapWindowPoints(w, NULL, (POINT *)r, 2); }

/* How wide `text` is drawn in `control`'s font. */
static LONG textWidth(HWND control, const WCHAR *text) {
  HDC dc = GetDC(control);
  HGDIOBJ font = (HGDIOBJ)SendMessageW(control, WM_GETFONT, 0, 0);
  HGDIOBJ was = font ? SelectObject(dc, font) : NULL;
  SIZE size = {0, 0};
  GetTextExtentPoint32W(dc, text, (int)wcslen(text), &size);
  if (was) SelectObject(dc, was);
  ReleaseDC(control, dc);
  return size.cx;
}

/*
 * The part of a list, tree or list view that shows its items: an item that does not lie wholly
 * inside it (scrolled half out, its text cut at the edge) is not one a user can read in full.
 */
static int viewport(HWND control, int parent, int depth) {
  RECT client;
  GetClientRect(control, &client);
  toScreen(control, &client);
  return node(parent, depth, "viewport", L"", client, TRUE, IsWindowEnabled(control));
}

/*
 * An item of a list, tree or tab strip, `r` in its control's coordinates. Its text starts at
 * `textLeft` (or fits, when negative): a longer text than the item's box runs past the box, where
 * the control cuts it.
 */
static void item(int parent, int depth, const char *role, const WCHAR *text, HWND control, RECT r, LONG textLeft) {
  RECT client, seen;
  GetClientRect(control, &client);
  /* Scrolled wholly out of sight: not on the screen at all. */
  if (!IntersectRect(&seen, &client, &r)) return;
  if (textLeft >= 0 && text[0]) {
    LONG right = textLeft + textWidth(control, text) + 2;
    if (right > r.right) r.right = right;
  }
  toScreen(control, &r);
  node(parent, depth, role, text, r, r.right > r.left && r.bottom > r.top, TRUE);
}

static void tabItems(HWND tab, int parent, int depth) {
  int n = (int)SendMessageW(tab, TCM_GETITEMCOUNT, 0, 0);
  for (int i = 0; i < n; i++) {
    WCHAR raw[256] = L"", text[256];
    TCITEMW it = {0};
    it.mask = TCIF_TEXT;
    it.pszText = raw;
    it.cchTextMax = 256;
    RECT r;
    if (!SendMessageW(tab, TCM_GETITEMW, i, (LPARAM)&it) || !SendMessageW(tab, TCM_GETITEMRECT, i, (LPARAM)&r))
      continue;
    readable(raw, text, 256, TRUE);
    item(parent, depth, "page tab", text, tab, r, -1);
  }
}

/* Rows of a list view in report mode, items otherwise: a row or an item is a "list item". */
static void listViewItems(HWND list, int parent, int depth) {
  int n = (int)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0);
  int top = (int)SendMessageW(list, LVM_GETTOPINDEX, 0, 0);
  for (int i = top; i < n && i < top + 200; i++) {
    WCHAR text[512] = L"";
    LVITEMW it = {0};
    it.iSubItem = 0;
    it.pszText = text;
    it.cchTextMax = 512;
    SendMessageW(list, LVM_GETITEMTEXTW, i, (LPARAM)&it);
    RECT r = {0}, label = {0};
    r.left = LVIR_BOUNDS;
    label.left = LVIR_LABEL;
    if (!SendMessageW(list, LVM_GETITEMRECT, i, (LPARAM)&r) || !SendMessageW(list, LVM_GETITEMRECT, i, (LPARAM)&label))
      continue;
    /* In report view a row spans its columns; its name is its first column's text. */
    if (label.right < r.right) r.right = label.right;
    item(parent, depth, "list item", text, list, r, label.left + 2);
  }
}

/* The tree's visible items, each by the box the tree gives its icon and text (what a user clicks). */
static void treeItems(HWND tree, int parent, int depth) {
  HTREEITEM h = (HTREEITEM)SendMessageW(tree, TVM_GETNEXTITEM, TVGN_FIRSTVISIBLE, 0);
  for (int k = 0; h && k < 200; k++, h = (HTREEITEM)SendMessageW(tree, TVM_GETNEXTITEM, TVGN_NEXTVISIBLE, (LPARAM)h)) {
    WCHAR text[512] = L"";
    TVITEMW it = {0};
    it.mask = TVIF_TEXT;
    it.hItem = h;
    it.pszText = text;
    it.cchTextMax = 512;
    SendMessageW(tree, TVM_GETITEMW, 0, (LPARAM)&it);
    /* TVM_GETITEMRECT takes the item in the rectangle it fills. */
    union {
      RECT box;
      HTREEITEM item;
    } query;
    query.item = h;
    if (!SendMessageW(tree, TVM_GETITEMRECT, TRUE, (LPARAM)&query.box)) continue;
    item(parent, depth, "list item", text, tree, query.box, -1);
  }
}

/* A list box's visible items; `combo` reads the texts when the list belongs to a combo box. */
static void listBoxItems(HWND list, HWND combo, int parent, int depth) {
  int n = (int)SendMessageW(list, LB_GETCOUNT, 0, 0);
  int top = (int)SendMessageW(list, LB_GETTOPINDEX, 0, 0);
  for (int i = top; i >= 0 && i < n && i < top + 200; i++) {
    WCHAR text[512] = L"";
    if (combo ? SendMessageW(combo, CB_GETLBTEXTLEN, i, 0) < 512 : SendMessageW(list, LB_GETTEXTLEN, i, 0) < 512)
      SendMessageW(combo ? combo : list, combo ? CB_GETLBTEXT : LB_GETTEXT, i, (LPARAM)text);
    RECT r;
    if (SendMessageW(list, LB_GETITEMRECT, i, (LPARAM)&r) == LB_ERR) continue;
    /* The Font dialog's list of fonts (cmb1) draws each font's type icon, square, before its name. */
    LONG icon = combo && GetDlgCtrlID(combo) == cmb1 ? r.bottom - r.top + 6 : 0;
    item(parent, depth, "list item", text, list, r, r.left + 2 + icon);
  }
}

/* A menu's items: the titles of a menu bar, or the entries of an open popup menu. */
static void menuItems(HWND owner, HMENU menu, int parent, int depth, BOOL bar) {
  int n = GetMenuItemCount(menu);
  for (int i = 0; i < n; i++) {
    MENUITEMINFOW info = {sizeof info};
    info.fMask = MIIM_FTYPE | MIIM_STATE | MIIM_SUBMENU;
    if (!GetMenuItemInfoW(menu, i, TRUE, &info) || (info.fType & MFT_SEPARATOR)) continue;
    WCHAR raw[256] = L"", text[256];
    GetMenuStringW(menu, i, raw, 256, MF_BYPOSITION);
    readable(raw, text, 256, TRUE);
    RECT r;
    if (!GetMenuItemRect(owner, menu, i, &r)) continue;
    node(parent, depth, bar || info.hSubMenu ? "menu" : "menu item", text, r, TRUE, !(info.fState & MFS_DISABLED));
  }
}

static void walk(HWND w, int parent, int depth);

static void children(HWND w, int parent, int depth) {
  for (HWND c = GetWindow(w, GW_CHILD); c; c = GetWindow(c, GW_HWNDNEXT)) walk(c, parent, depth);
}

/* One child window and what it contains, mapped to the roles atspi-dump.py prints. */
static void walk(HWND w, int parent, int depth) {
  WCHAR cls[64], text[1024], label[512];
  classOf(w, cls, 64);
  LONG style = GetWindowLongW(w, GWL_STYLE);
  BOOL showing = IsWindowVisible(w);
  BOOL enabled = IsWindowEnabled(w);
  RECT r;
  GetWindowRect(w, &r);
  if (!showing) return;
  textOf(w, text, 1024, TRUE);
  label[0] = 0;

  if (!_wcsicmp(cls, L"Button")) {
    const char *role;
    switch (style & BS_TYPEMASK) {
    case BS_CHECKBOX:
    case BS_AUTOCHECKBOX:
    case BS_3STATE:
    case BS_AUTO3STATE:
      role = style & BS_PUSHLIKE ? "toggle button" : "check box";
      break;
    case BS_RADIOBUTTON:
    case BS_AUTORADIOBUTTON:
      role = style & BS_PUSHLIKE ? "toggle button" : "radio button";
      break;
    case BS_GROUPBOX:
      role = "panel";
      break;
    default:
      role = "push button";
    }
    node(parent, depth, role, text, r, TRUE, enabled);
    return;
  }
  if (!_wcsicmp(cls, L"Static")) {
    int kind = style & SS_TYPEMASK;
    BOOL isText = kind == SS_LEFT || kind == SS_CENTER || kind == SS_RIGHT || kind == SS_SIMPLE ||
                  kind == SS_LEFTNOWORDWRAP;
    if (isText) {
      textOf(w, text, 1024, !(style & SS_NOPREFIX));
      if (text[0]) node(parent, depth, "label", text, r, TRUE, enabled);
    }
    return;
  }
  if (!_wcsicmp(cls, L"Edit") || !_wcsnicmp(cls, L"RichEdit", 8)) {
    /* A combo box's own edit part is the combo box. */
    if (hasClass(GetParent(w), L"ComboBox") && (GetWindowLongW(GetParent(w), GWL_STYLE) & 3) != CBS_SIMPLE) return;
    HWND labelled = hasClass(GetParent(w), L"ComboBox") ? GetParent(w) : w;
    labelOf(labelled, label, 512);
    /* The field's value is not its name: a field is asked for by its label. */
    field(parent, depth, style & ES_PASSWORD ? "password text" : "text", L"", r, TRUE, enabled, !(style & ES_READONLY),
          label);
    return;
  }
  if (!_wcsicmp(cls, L"ComboBox") || !_wcsicmp(cls, L"ComboBoxEx32")) {
    HWND combo = _wcsicmp(cls, L"ComboBoxEx32") ? w : (HWND)SendMessageW(w, CBEM_GETCOMBOCONTROL, 0, 0);
    labelOf(w, label, 512);
    if (combo && (GetWindowLongW(combo, GWL_STYLE) & 3) == CBS_SIMPLE) {
      /* A simple combo box is a field with its list always open below it. */
      int i = node(parent, depth, "panel", L"", r, TRUE, enabled);
      for (HWND c = GetWindow(combo, GW_CHILD); c; c = GetWindow(c, GW_HWNDNEXT)) {
        if (hasClass(c, L"Edit"))
          walk(c, i, depth + 1);
        else if (hasClass(c, L"ComboLBox") && IsWindowVisible(c))
          listBoxItems(c, combo, viewport(c, i, depth + 1), depth + 2);
      }
      return;
    }
    field(parent, depth, "combo box", L"", r, TRUE, enabled, FALSE, label);
    return;
  }
  if (!_wcsicmp(cls, L"SysTabControl32")) {
    tabItems(w, node(parent, depth, "page tab list", L"", r, TRUE, enabled), depth + 1);
    children(w, parent, depth);
    return;
  }
  if (!_wcsicmp(cls, L"SysListView32")) {
    listViewItems(w, viewport(w, parent, depth), depth + 1);
    return;
  }
  if (!_wcsicmp(cls, L"SysTreeView32")) {
    treeItems(w, viewport(w, parent, depth), depth + 1);
    return;
  }
  if (!_wcsicmp(cls, L"ListBox")) {
    listBoxItems(w, NULL, viewport(w, parent, depth), depth + 1);
    return;
  }
  /* Toolbars draw icon buttons that are no windows, status bars only text: nothing to ask for. */
  if (!_wcsicmp(cls, L"ToolbarWindow32") || !_wcsicmp(cls, L"msctls_statusbar32") ||
      !_wcsicmp(cls, L"tooltips_class32") || !_wcsicmp(cls, L"msctls_updown32"))
    return;
  children(w, node(parent, depth, "panel", L"", r, TRUE, enabled), depth + 1);
}

static BOOL CALLBACK topLevel(HWND w, LPARAM app) {
  DWORD pid;
  GetWindowThreadProcessId(w, &pid);
  if (pid != GetCurrentProcessId() || !IsWindowVisible(w)) return TRUE;
  WCHAR cls[64], title[512];
  classOf(w, cls, 64);
  if (!_wcsicmp(cls, L"tooltips_class32") || !_wcsicmp(cls, L"IME")) return TRUE;
  textOf(w, title, 512, FALSE);
  RECT r;
  GetWindowRect(w, &r);
  if (!_wcsicmp(cls, L"#32768")) {
    /* An open popup menu: a window above the others, holding the menu's items. */
    int win = node((int)app, 1, "window", L"", r, TRUE, TRUE);
    HMENU menu = (HMENU)SendMessageW(w, MN_GETHMENU, 0, 0);
    if (menu) menuItems(w, menu, node(win, 2, "menu", L"", r, TRUE, TRUE), 3, FALSE);
    return TRUE;
  }
  BOOL dialog = !_wcsicmp(cls, L"#32770") || GetWindow(w, GW_OWNER) != NULL;
  int top = node((int)app, 1, dialog ? "dialog" : "frame", title, r, TRUE, IsWindowEnabled(w));
  HMENU menu = GetMenu(w);
  if (menu && IsMenu(menu)) {
    MENUBARINFO bar = {sizeof bar};
    RECT barBox = r;
    if (GetMenuBarInfo(w, OBJID_MENU, 0, &bar)) barBox = bar.rcBar;
    menuItems(w, menu, node(top, 2, "menu bar", L"", barBox, TRUE, TRUE), 3, TRUE);
  }
  children(w, top, 2);
  return TRUE;
}

static void dump(void) {
  HANDLE mapping = OpenFileMappingW(FILE_MAP_WRITE, FALSE, SHARED_NAME);
  if (!mapping) return;
  out = (struct shared *)MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, sizeof(struct shared));
  if (out) {
    /* Boxes in the screen's pixels, whatever the program's own DPI awareness. */
    DPI_AWARENESS_CONTEXT was = SetThreadDpiAwarenessContext(DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE);
    out->length = 0;
    nodeCount = 0;
    WCHAR exe[MAX_PATH] = L"", *name;
    GetModuleFileNameW(NULL, exe, MAX_PATH);
    name = wcsrchr(exe, L'\\') ? wcsrchr(exe, L'\\') + 1 : exe;
    put("{\"app\":");
    putString(name);
    put(",\"nodes\":[\n");
    RECT none = {0, 0, 0, 0};
    int app = node(-1, 0, "application", name, none, FALSE, TRUE);
    EnumWindows(topLevel, app);
    put("\n]}\n");
    if (was) SetThreadDpiAwarenessContext(was);
    InterlockedExchange(&out->done, 1);
    UnmapViewOfFile(out);
  }
  CloseHandle(mapping);
}

/* Called on the program's window thread when the exe sends it a message. */
__declspec(dllexport) LRESULT CALLBACK truthHook(int code, WPARAM wp, LPARAM lp) {
  const CWPSTRUCT *msg = (const CWPSTRUCT *)lp;
  if (code == HC_ACTION && msg->message == WM_NULL && msg->wParam == 0x7275 && msg->lParam == 0x7468) dump();
  return CallNextHookEx(NULL, code, wp, lp);
}

/* --- the exe ------------------------------------------------------------------------------- */

static DWORD processNamed(const WCHAR *exe) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32W p = {sizeof p};
  DWORD pid = 0;
  for (BOOL ok = Process32FirstW(snap, &p); ok && !pid; ok = Process32NextW(snap, &p))
    if (!_wcsicmp(p.szExeFile, exe)) pid = p.th32ProcessID;
  CloseHandle(snap);
  return pid;
}

struct find {
  DWORD pid;
  HWND window;
};

static BOOL CALLBACK visibleOf(HWND w, LPARAM lp) {
  struct find *f = (struct find *)lp;
  DWORD pid;
  GetWindowThreadProcessId(w, &pid);
  if (pid == f->pid && IsWindowVisible(w)) {
    f->window = w;
    return FALSE;
  }
  return TRUE;
}

int wmain(int argc, WCHAR **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: win32-truth.exe PROGRAM.exe\n");
    return 2;
  }
  struct find f = {processNamed(argv[1]), NULL};
  if (!f.pid) {
    fprintf(stderr, "win32-truth: no process %ls\n", argv[1]);
    return 1;
  }
  EnumWindows(visibleOf, (LPARAM)&f);
  if (!f.window) {
    fprintf(stderr, "win32-truth: %ls shows no window\n", argv[1]);
    return 1;
  }
  WCHAR dll[MAX_PATH];
  GetModuleFileNameW(NULL, dll, MAX_PATH);
  wcscpy(wcsrchr(dll, L'.'), L".dll");
  HMODULE module = LoadLibraryW(dll);
  HOOKPROC hook = module ? (HOOKPROC)GetProcAddress(module, "truthHook") : NULL;
  if (!hook) {
    fprintf(stderr, "win32-truth: cannot load %ls\n", dll);
    return 1;
  }
  HANDLE mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, sizeof(struct shared), SHARED_NAME);
  struct shared *shared = (struct shared *)MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, sizeof(struct shared));
  shared->done = 0;
  HHOOK hh = SetWindowsHookExW(WH_CALLWNDPROC, hook, module, GetWindowThreadProcessId(f.window, NULL));
  DWORD_PTR result;
  if (!hh || !SendMessageTimeoutW(f.window, WM_NULL, 0x7275, 0x7468, SMTO_NORMAL, 15000, &result) || !shared->done) {
    fprintf(stderr, "win32-truth: %ls did not answer\n", argv[1]);
    return 1;
  }
  UnhookWindowsHookEx(hh);
  fwrite(shared->json, 1, shared->length, stdout);
  return 0;
}
