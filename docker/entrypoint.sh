#!/bin/sh
# Starts a private virtual display (Xvfb + openbox) unless DISPLAY points at one already,
# then runs the command (Node-RED by default).
set -e
if [ -z "${DISPLAY:-}" ] && [ "${RPA_VISION_XVFB:-1}" = "1" ]; then
  export DISPLAY=:99
  Xvfb :99 -screen 0 "${RPA_VISION_SCREEN:-1920x1080x24}" +extension RECORD +extension XTEST -nolisten tcp &
  for i in $(seq 1 50); do [ -e /tmp/.X11-unix/X99 ] && break; sleep 0.1; done
  openbox --sm-disable >/dev/null 2>&1 &
fi
exec "$@"
