#!/usr/bin/env bash
# Start or stop the local national-system simulators in the background (docs/integrations.md,
# docs/integrations-national-portal.md). Each one also has a page of its own, in Vietnamese:
#   national portal (Cổng DVCQG)    http://127.0.0.1:${PORTAL_SIM_PORT:-8301}/   python -m simulators.national_portal
#   LGSP gateway, relaying /dvcqg/  http://127.0.0.1:${LGSP_SIM_PORT:-8300}/     python -m simulators.lgsp
#   national payment platform       http://127.0.0.1:${PAYMENT_SIM_PORT:-8302}/   python -m simulators.payment_platform
#   EMC monitoring stand-in         http://127.0.0.1:${EMC_SIM_PORT:-8303}/      python -m simulators.emc
#   tax authority and treasury      http://127.0.0.1:${TAX_SIM_PORT:-8308}/      python -m simulators.tax_authority
#   population database (dân cư)    http://127.0.0.1:${POPULATION_SIM_PORT:-8304}/  python -m simulators.population (LGSP /dancu/)
#   business register, LGSP /dkkd/  http://127.0.0.1:${BUSINESS_SIM_PORT:-8305}/  python -m simulators.business_register
#   VNeID-like OIDC provider        http://127.0.0.1:${VNEID_SIM_PORT:-8306}/     python -m simulators.vneid
#   remote signing, LGSP /kysotuxa/ http://127.0.0.1:${REMOTE_SIGNING_SIM_PORT:-8310}/ python -m simulators.remote_signing
#   land database, via LGSP /dat_dai/ http://127.0.0.1:${LAND_SIM_PORT:-8307}/   python -m simulators.land_registry
#   national petitions system (PAKN) http://127.0.0.1:${PETITIONS_SIM_PORT:-8309}/ python -m simulators.national_petitions
#   document exchange hub (edXML)   http://127.0.0.1:${EDXML_SIM_PORT:-8311}/     python -m simulators.edxml_hub
#   Zalo Graph API (Mini App sign-in) http://127.0.0.1:${ZALO_SIM_PORT:-8312}/   python -m simulators.zalo (docs/miniapp.md)
#   scripts/simulators.sh start     start those not running yet; wait until each answers
#   scripts/simulators.sh stop      stop what `start` started (by its recorded process ids)
#   scripts/simulators.sh status    exit 1 unless every simulator runs
# Extra flags per simulator: PORTAL_SIM_ARGS (e.g. "--session-seconds 60 --state var/portal.json"), LGSP_SIM_ARGS
# (e.g. "--token-style auth_header"), PAYMENT_SIM_ARGS (e.g. "--duplicate-callbacks 1"), EMC_SIM_ARGS, BUSINESS_SIM_ARGS, POPULATION_SIM_ARGS,
# VNEID_SIM_ARGS, REMOTE_SIGNING_SIM_ARGS, LAND_SIM_ARGS, PETITIONS_SIM_ARGS, EDXML_SIM_ARGS (e.g. "--no-auto"),
# ZALO_SIM_ARGS (e.g. "--secret …"). Faults at run time: POST /_faults on each (see its --help).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
PORTAL_PORT="${PORTAL_SIM_PORT:-8301}"
LGSP_PORT="${LGSP_SIM_PORT:-8300}"
EMC_PORT="${EMC_SIM_PORT:-8303}"
PAYMENT_PORT="${PAYMENT_SIM_PORT:-8302}"
BUSINESS_PORT="${BUSINESS_SIM_PORT:-8305}"
POPULATION_PORT="${POPULATION_SIM_PORT:-8304}"
VNEID_PORT="${VNEID_SIM_PORT:-8306}"
REMOTE_SIGNING_PORT="${REMOTE_SIGNING_SIM_PORT:-8310}"
TAX_PORT="${TAX_SIM_PORT:-8308}"  # the tax authority (/thue) and the treasury (/kho_bac): docs/land-tax-exchange.md
LAND_PORT="${LAND_SIM_PORT:-8307}"
PETITIONS_PORT="${PETITIONS_SIM_PORT:-8309}"
EDXML_PORT="${EDXML_SIM_PORT:-8311}"  # the document exchange hub and its outside agencies: docs/document-exchange.md
ZALO_PORT="${ZALO_SIM_PORT:-8312}"
# The remote-signing simulator's credentials: the DEMO ones setup_demo writes (docs/signing.md).
SIGNING_CREDENTIALS="${MOTCUA_DEMO_SIGNING_DIR:-${MOTCUA_VAR_DIR:-var}/demo-signing}/remote"
# The payment platform confirms to the province and returns browsers to it (MOTCUA_PUBLIC_URL, as demo.sh sets it).
PUBLIC_URL="${MOTCUA_PUBLIC_URL:-http://127.0.0.1:${PORT:-8000}}"
RUN_DIR="${SIMULATORS_RUN_DIR:-${MOTCUA_VAR_DIR:-var}/simulators}"
SIMULATORS="national_portal lgsp payment_platform emc business_register population vneid remote_signing land_registry tax_authority national_petitions edxml_hub zalo"
mkdir -p "$RUN_DIR"

running() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

wait_ready() {  # NAME PORT: until the simulator answers on its port (10 s at most)
  "$PYTHON" - "$2" <<'PY' || { echo "$1 simulator did not start: see $RUN_DIR/$1.log" >&2; exit 1; }
import sys, time, urllib.request
deadline = time.monotonic() + 10
while True:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_state", timeout=1).read()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.1)
PY
}

start_one() {  # NAME PORT [FLAGS…]: python -m simulators.NAME --port PORT FLAGS…
  local name=$1 port=$2
  shift 2
  if running "$name"; then echo "$name simulator already running (pid $(cat "$RUN_DIR/$name.pid"))"; return; fi
  nohup "$PYTHON" -m "simulators.$name" --port "$port" "$@" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
  wait_ready "$name" "$port"
  echo "$name simulator: http://127.0.0.1:$port/ (pid $(cat "$RUN_DIR/$name.pid"), log $RUN_DIR/$name.log)"
}

stop_one() {
  if running "$1"; then kill "$(cat "$RUN_DIR/$1.pid")"; echo "$1 simulator stopped"; fi
  rm -f "$RUN_DIR/$1.pid"
}

case "${1:-start}" in
  start)
    # shellcheck disable=SC2086 # the *_SIM_ARGS are lists of flags
    start_one national_portal "$PORTAL_PORT" ${PORTAL_SIM_ARGS:-}
    LGSP_SIM_ARGS="--route thue=http://127.0.0.1:$TAX_PORT/thue --route kho_bac=http://127.0.0.1:$TAX_PORT/kho_bac ${LGSP_SIM_ARGS:-}"
    # shellcheck disable=SC2086
    start_one land_registry "$LAND_PORT" ${LAND_SIM_ARGS:-}
    # shellcheck disable=SC2086
    start_one lgsp "$LGSP_PORT" --route "dvcqg=http://127.0.0.1:$PORTAL_PORT" \
      --route "dkkd=http://127.0.0.1:$BUSINESS_PORT" --route "dancu=http://127.0.0.1:$POPULATION_PORT" \
      --route "vneid=http://127.0.0.1:$VNEID_PORT" --route "kysotuxa=http://127.0.0.1:$REMOTE_SIGNING_PORT" \
      --route "dat_dai=http://127.0.0.1:$LAND_PORT" ${LGSP_SIM_ARGS:-}
    # shellcheck disable=SC2086
    # shellcheck disable=SC2086
    start_one payment_platform "$PAYMENT_PORT" --callback-url "$PUBLIC_URL/thanh-toan/paygov/ipn/" \
      --return-url "$PUBLIC_URL/thanh-toan/paygov/ket-qua/" ${PAYMENT_SIM_ARGS:-}
    # shellcheck disable=SC2086
    start_one emc "$EMC_PORT" ${EMC_SIM_ARGS:-}
    # shellcheck disable=SC2086
    start_one business_register "$BUSINESS_PORT" ${BUSINESS_SIM_ARGS:-}
    # shellcheck disable=SC2086
    start_one population "$POPULATION_PORT" ${POPULATION_SIM_ARGS:-}
    # The province's sign-in callback is registered with the provider (docs/vneid.md).
    # shellcheck disable=SC2086
    start_one vneid "$VNEID_PORT" --redirect-uri "$PUBLIC_URL/dinh-danh/vneid/callback/" ${VNEID_SIM_ARGS:-}
    # shellcheck disable=SC2086
    start_one remote_signing "$REMOTE_SIGNING_PORT" --credentials-dir "$SIGNING_CREDENTIALS" ${REMOTE_SIGNING_SIM_ARGS:-}
    # shellcheck disable=SC2086 # pushes the tax notices and the treasury's confirmations to the province
    start_one tax_authority "$TAX_PORT" --notice-url "$PUBLIC_URL/lien-thong/thue/thong-bao/" \
      --receipt-url "$PUBLIC_URL/lien-thong/thue/chung-tu/" ${TAX_SIM_ARGS:-}
    # shellcheck disable=SC2086
    start_one national_petitions "$PETITIONS_PORT" ${PETITIONS_SIM_ARGS:-}
    # shellcheck disable=SC2086
    start_one edxml_hub "$EDXML_PORT" ${EDXML_SIM_ARGS:-}
    # shellcheck disable=SC2086
    start_one zalo "$ZALO_PORT" ${ZALO_SIM_ARGS:-}
    ;;
  stop)
    for name in $SIMULATORS; do stop_one "$name"; done
    ;;
  status)
    missing=0
    for name in $SIMULATORS; do
      if running "$name"; then echo "$name: running (pid $(cat "$RUN_DIR/$name.pid"))"; else echo "$name: not running"; missing=1; fi
    done
    exit "$missing"
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
