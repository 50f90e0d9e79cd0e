#!/usr/bin/env bash
# Installs the Debian packages the product and its tests use, when they are missing:
#   X server and desktop tools (Xvfb, openbox, xdotool, xprop, xrdb), Chromium (dashboard and
#   page tests), Tesseract (the benchmark baseline), promtool (metrics checks), and the real
#   applications the end-to-end tests drive (mousepad, galculator, gnumeric, zenity, yad),
#   and xclip to read what an application copied (the calculator's result); Wine (wine, wine64:
#   64-bit Win32 programs such as its own Notepad, for the Win32 end-to-end spec); the accessibility
#   bus and its Python reader, Tk, and GTK 4 with libadwaita, for the desktop corpus spec (scripts/install-corpus-deps.sh
#   installs the rest of that corpus); and redis-server (the robots' broker: the tests start their
#   own instance on a free port, never the service).
# Idempotent: does nothing when everything is there. Uses sudo when not root.
set -euo pipefail

PACKAGES=(
  xvfb openbox xdotool x11-utils x11-xserver-utils xauth
  chromium fonts-dejavu-core fonts-liberation2
  tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng
  prometheus
  zenity yad mousepad galculator gnumeric imagemagick
  xclip
  wine wine64
  at-spi2-core dbus python3-gi gir1.2-atspi-2.0 python3-tk gir1.2-gtk-4.0 gir1.2-adw-1
  redis-server
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-debian-deps: all ${#PACKAGES[@]} Debian packages are installed"
  exit 0
fi
echo "install-debian-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-debian-deps: not root and no sudo; please install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-debian-deps: done"
