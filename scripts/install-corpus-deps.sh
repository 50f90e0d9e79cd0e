#!/usr/bin/env bash
# Installs what the desktop corpus of the grounding benchmark captures (bench/corpus, run by
# `node dist/bench/corpus/desktop.js` or `npm run bench -- grounding --desktop`): programs of six
# toolkit families and their accessibility bridges (Wine has none: a program of ours, cross-compiled
# with MinGW, reads its windows), and the French and English locales.
# Not needed by the test suite (its corpus spec uses scripts/install-debian-deps.sh only).
# Idempotent. Uses sudo when not root.
set -euo pipefail

PACKAGES=(
  # the accessibility bus and the reader of its tree
  at-spi2-core dbus python3-gi gir1.2-atspi-2.0
  # GTK 3
  zenity yad mousepad galculator
  # Qt 5: its example programs, and French for its standard dialogs
  qtbase5-examples qttranslations5-l10n
  # Java Swing: the JDK compiles our form; the wrapper bridges Java accessibility to AT-SPI
  openjdk-17-jdk libatk-wrapper-java libatk-wrapper-java-jni
  # Tk
  python3-tk
  # GTK 4 and libadwaita, through PyGObject (our form; xwininfo places its windows)
  gir1.2-gtk-4.0 gir1.2-adw-1 python3-gi x11-utils
  # LibreOffice (VCL), in French too
  libreoffice-calc libreoffice-gtk3 libreoffice-l10n-fr
  # Win32 programs under Wine (64-bit), and the cross-compiler of the reader of their windows
  wine wine64 gcc-mingw-w64-x86-64-win32
  locales imagemagick xdotool
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-corpus-deps: not root and no sudo; please install: ${PACKAGES[*]}" >&2
    exit 1
  fi
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-corpus-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for locale in fr_FR en_US; do
  locale -a | grep -qi "^${locale}.utf-\?8$" || $SUDO localedef -i "$locale" -f UTF-8 "${locale}.UTF-8"
done
echo "install-corpus-deps: done"
