#!/usr/bin/env bash
# Start or stop the local national-system simulators in the background (docs/integrations-national-portal.md).
#   scripts/simulators.sh start   national portal (Cổng DVCQG) simulator on http://127.0.0.1:${PORTAL_SIM_PORT:-8301}
#   scripts/simulators.sh stop    stop what `start` started (by its recorded process id)
#   scripts/simulators.sh status
# Extra flags for the portal simulator go in PORTAL_SIM_ARGS (e.g. "--session-seconds 60 --state var/portal.json").
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
PORT="${PORTAL_SIM_PORT:-8301}"
RUN_DIR=var/simulators
PID_FILE="$RUN_DIR/national_portal.pid"
mkdir -p "$RUN_DIR"
running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }
case "${1:-start}" in
  start)
    if running; then echo "national portal simulator already running (pid $(cat "$PID_FILE"))"; exit 0; fi
    # shellcheck disable=SC2086 # PORTAL_SIM_ARGS is a list of flags
    nohup "$PYTHON" -m simulators.national_portal --port "$PORT" ${PORTAL_SIM_ARGS:-} \
      >"$RUN_DIR/national_portal.log" 2>&1 &
    echo $! >"$PID_FILE"
    echo "national portal simulator: http://127.0.0.1:$PORT/ (pid $!, log $RUN_DIR/national_portal.log)"
    ;;
  stop)
    if running; then kill "$(cat "$PID_FILE")"; echo "stopped"; else echo "not running"; fi
    rm -f "$PID_FILE"
    ;;
  status)
    if running; then echo "running (pid $(cat "$PID_FILE"), port $PORT)"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
