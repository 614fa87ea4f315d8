#!/usr/bin/env bash
# Start or stop the local national-system simulators in the background (docs/integrations-national-portal.md,
# docs/payments.md).
#   scripts/simulators.sh start [portal|payment|all]   national portal (Cổng DVCQG) simulator on
#                                  http://127.0.0.1:${PORTAL_SIM_PORT:-8301}, payment-platform simulator on
#                                  http://127.0.0.1:${PAYMENT_SIM_PORT:-8302} (default: all)
#   scripts/simulators.sh stop [portal|payment|all]    stop what `start` started (by its recorded process id)
#   scripts/simulators.sh status [portal|payment|all]
# Extra flags go in PORTAL_SIM_ARGS (e.g. "--session-seconds 60 --state var/portal.json") and PAYMENT_SIM_ARGS
# (e.g. "--duplicate-callbacks 1"). The payment platform sends its confirmations to
# $MOTCUA_PUBLIC_URL/thanh-toan/paygov/ipn/ and returns browsers to $MOTCUA_PUBLIC_URL/thanh-toan/paygov/ket-qua/
# (MOTCUA_PUBLIC_URL defaults to http://127.0.0.1:${PORT:-8000}).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
RUN_DIR=var/simulators
PUBLIC_URL="${MOTCUA_PUBLIC_URL:-http://127.0.0.1:${PORT:-8000}}"
mkdir -p "$RUN_DIR"

# name, module, port, label
sim_module() { case "$1" in portal) echo national_portal ;; payment) echo payment_platform ;; esac; }
sim_port() { case "$1" in portal) echo "${PORTAL_SIM_PORT:-8301}" ;; payment) echo "${PAYMENT_SIM_PORT:-8302}" ;; esac; }
sim_label() { case "$1" in portal) echo "national portal simulator" ;; payment) echo "payment platform simulator" ;; esac; }
sim_args() {
  case "$1" in
    portal) echo "${PORTAL_SIM_ARGS:-}" ;;
    payment) echo "--callback-url ${PUBLIC_URL}/thanh-toan/paygov/ipn/ --return-url ${PUBLIC_URL}/thanh-toan/paygov/ket-qua/ ${PAYMENT_SIM_ARGS:-}" ;;
  esac
}
pid_file() { echo "$RUN_DIR/$(sim_module "$1").pid"; }
running() { [ -f "$(pid_file "$1")" ] && kill -0 "$(cat "$(pid_file "$1")")" 2>/dev/null; }

start_one() {
  local name=$1 module port log
  module=$(sim_module "$name"); port=$(sim_port "$name"); log="$RUN_DIR/$module.log"
  if running "$name"; then echo "$(sim_label "$name") already running (pid $(cat "$(pid_file "$name")"))"; return 0; fi
  # shellcheck disable=SC2046 # the arguments are a list of flags
  nohup "$PYTHON" -m "simulators.$module" --port "$port" $(sim_args "$name") >"$log" 2>&1 &
  echo $! >"$(pid_file "$name")"
  echo "$(sim_label "$name"): http://127.0.0.1:$port/ (pid $!, log $log)"
}
stop_one() {
  if running "$1"; then kill "$(cat "$(pid_file "$1")")"; echo "$(sim_label "$1") stopped"; else echo "$(sim_label "$1") not running"; fi
  rm -f "$(pid_file "$1")"
}
status_one() {
  if running "$1"; then echo "$(sim_label "$1"): running (pid $(cat "$(pid_file "$1")"), port $(sim_port "$1"))"
  else echo "$(sim_label "$1"): not running"; return 1; fi
}

case "${2:-all}" in
  portal|payment) NAMES="$2" ;;
  all) NAMES="portal payment" ;;
  *) echo "usage: $0 start|stop|status [portal|payment|all]" >&2; exit 2 ;;
esac
case "${1:-start}" in
  start) for name in $NAMES; do start_one "$name"; done ;;
  stop) for name in $NAMES; do stop_one "$name"; done ;;
  status) rc=0; for name in $NAMES; do status_one "$name" || rc=1; done; exit $rc ;;
  *) echo "usage: $0 start|stop|status [portal|payment|all]" >&2; exit 2 ;;
esac
