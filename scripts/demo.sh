#!/usr/bin/env bash
# Install everything and start the demo province (Đồng Nai) at http://127.0.0.1:${PORT:-8000} on SQLite.
# PORT picks the port; the links in QR codes, look-up pages, SMS and e-mails follow it (MOTCUA_PUBLIC_URL, unless
# set). Results are signed with a DEMO certificate that setup_demo makes in ./var/demo-signing (docs/signing.md).
set -euo pipefail
LOCK_FILE=requirements.lock
source "$(dirname "$0")/_venv.sh"
export DJANGO_SETTINGS_MODULE=motcua.settings
export PORT="${PORT:-8000}"
export MOTCUA_PUBLIC_URL="${MOTCUA_PUBLIC_URL:-http://127.0.0.1:${PORT}}"
export MOTCUA_DEMO_SIGNING="${MOTCUA_DEMO_SIGNING:-true}"
# Demo only: leaders and administrators are not made to enrol a two-step code before they can look around (any
# staff member may enrol at /dinh-danh/hai-buoc/dang-ky/ and is asked for a code from then on). Set it to false to
# see two-step sign-in required as in production, which refuses this setting.
export MOTCUA_TWO_FACTOR_OPTIONAL="${MOTCUA_TWO_FACTOR_OPTIONAL:-true}"
# Demo only: online payment goes to a local DEMO stand-in for VNPay's payment page (no real money, no outside network;
# docs/payments.md), with a demo terminal code and hash secret. Production refuses MOTCUA_DEMO_PAYMENTS; set it to
# false (and the MOTCUA_VNPAY_* variables) to try VNPay's own sandbox instead.
export MOTCUA_DEMO_PAYMENTS="${MOTCUA_DEMO_PAYMENTS:-true}"
if [ "${MOTCUA_DEMO_PAYMENTS}" = "true" ]; then
  export MOTCUA_VNPAY_TMN_CODE="${MOTCUA_VNPAY_TMN_CODE:-MOTCUADEMO}"
  export MOTCUA_VNPAY_HASH_SECRET="${MOTCUA_VNPAY_HASH_SECRET:-DEMO-ONLY-VNPAY-HASH-SECRET-NOT-FOR-PRODUCTION}"
  export MOTCUA_VNPAY_PAYMENT_URL="${MOTCUA_VNPAY_PAYMENT_URL:-${MOTCUA_PUBLIC_URL}/thanh-toan/vnpay-demo/}"
fi
# The national systems' simulators (scripts/simulators.sh; docs/integrations.md): the demo's dossiers are sent to the
# simulated national portal (http://127.0.0.1:8301/) through the simulated LGSP gateway (http://127.0.0.1:8300/),
# which the demo fetches its token from; public pages load the EMC stand-in's snippet (http://127.0.0.1:8303/).
# MOTCUA_DEMO_SIMULATORS=false leaves them out. Whatever this script started is stopped when it ends.
export MOTCUA_DEMO_SIMULATORS="${MOTCUA_DEMO_SIMULATORS:-true}"
STARTED_SIMULATORS=""
WORKER=""
stop_demo() {
  if [ -n "$WORKER" ]; then kill "$WORKER" 2>/dev/null || true; fi
  if [ -n "$STARTED_SIMULATORS" ]; then scripts/simulators.sh stop || true; fi
}
trap stop_demo EXIT
trap 'exit 130' INT TERM
if [ "${MOTCUA_DEMO_SIMULATORS}" = "true" ]; then
  if ! scripts/simulators.sh status >/dev/null 2>&1; then
    STARTED_SIMULATORS=yes
    mkdir -p "${MOTCUA_VAR_DIR:-var}/simulators"
    # The portal simulator keeps what it received across demo runs, like the demo's database.
    PORTAL_SIM_ARGS="${PORTAL_SIM_ARGS:---state ${MOTCUA_VAR_DIR:-var}/simulators/national_portal.json}" \
      scripts/simulators.sh start
  fi
  source scripts/_demo_simulators.sh
  # The Zalo Mini App's sign-in goes to the Zalo Graph API simulator, with its demo secret (docs/miniapp.md).
  export MOTCUA_ZALO_GRAPH_URL="${MOTCUA_ZALO_GRAPH_URL:-http://127.0.0.1:${ZALO_SIM_PORT:-8312}}"
  export MOTCUA_ZALO_APP_SECRET="${MOTCUA_ZALO_APP_SECRET:-zalo-demo-secret}"
  if [ "${MOTCUA_DEMO_PAYMENTS}" = "true" ]; then
    # Beside the VNPay stand-in, the national payment platform through its simulator (docs/payments.md), with the
    # demo's partner code and key; the `paygov` system is added to MOTCUA_INTEGRATION_SYSTEMS_JSON unless there.
    export MOTCUA_PAYGOV_PARTNER_CODE="${MOTCUA_PAYGOV_PARTNER_CODE:-MOTCUADEMO}"
    export MOTCUA_PAYGOV_HASH_KEY="${MOTCUA_PAYGOV_HASH_KEY:-DEMO-ONLY-PAYMENT-PLATFORM-KEY-NOT-FOR-PRODUCTION}"
    MOTCUA_INTEGRATION_SYSTEMS_JSON="$(.venv/bin/python -c 'import json, os, sys
systems = json.loads(os.environ.get("MOTCUA_INTEGRATION_SYSTEMS_JSON") or "{}")
systems.setdefault("paygov", {"label": "Nền tảng thanh toán (mô phỏng)", "base_url": sys.argv[1]})
print(json.dumps(systems, ensure_ascii=False))' "http://127.0.0.1:${PAYMENT_SIM_PORT:-8302}")"
    export MOTCUA_INTEGRATION_SYSTEMS_JSON
  fi
fi
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py setup_demo
.venv/bin/python manage.py collectstatic --no-input -v 0
echo "motcua: http://127.0.0.1:${PORT}/  (quản trị / admin: http://127.0.0.1:${PORT}/quan-tri/)"
echo "liên kết / links (QR, SMS): ${MOTCUA_PUBLIC_URL}"
if [ "${MOTCUA_DEMO_SIMULATORS}" = "true" ]; then
  # Everything waiting for the national portal (the sample dossiers' steps) is sent now; later steps go by the worker.
  .venv/bin/python manage.py sync_national_portal || echo "sync_national_portal failed: the worker retries" >&2
  # The national petitions system's sample petitions are pulled now; this also starts the worker's pull chain
  # (every MOTCUA_PETITIONS_POLL_SECONDS, 30 s in the demo).
  .venv/bin/python manage.py pull_national_petitions || echo "pull_national_petitions failed: the worker retries" >&2
  echo "Cổng DVCQG mô phỏng / simulated national portal: http://127.0.0.1:${PORTAL_SIM_PORT:-8301}/"
  echo "CSDL dân cư mô phỏng / simulated population database: http://127.0.0.1:${POPULATION_SIM_PORT:-8304}/"
  echo "Hệ thống PAKN quốc gia mô phỏng / simulated national petitions: http://127.0.0.1:${PETITIONS_SIM_PORT:-8309}/"
fi
# The job worker delivers notifications, runs exports and sends each dossier step to the national portal
# (django-tasks' database backend: no broker).
.venv/bin/python manage.py db_worker --no-reload >"${MOTCUA_VAR_DIR:-var}/worker.log" 2>&1 &
WORKER=$!
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}" --noreload
