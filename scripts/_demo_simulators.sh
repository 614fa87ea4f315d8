# Sourced by scripts/demo.sh (and its test, motcua/integrations/tests/test_demo_simulators.py): how the demo reaches
# the simulators that scripts/simulators.sh starts. Each value may be set beforehand to override it.
# The national portal sync goes through the LGSP gateway simulator, which relays /dvcqg/ to the portal simulator; the
# demo fetches the gateway's token (client_credentials) with the simulators' DEMO credentials. The business register
# (`dkkd`), the population database (`dancu`) and the land database (`dat_dai`) are reached the same way, through
# the gateway's /dkkd/, /dancu/ and /dat_dai/ routes, and the remote signing service (`remote_signing`,
# docs/signing.md) through /kysotuxa/. (The defaults are kept in variables: a } inside ${VAR:-…} would end the
# expansion, and an override would get the rest of the JSON appended.)
DEMO_SYSTEMS='{"dvcqg": {"label": "Cổng Dịch vụ công quốc gia (mô phỏng)", "via_lgsp": true, "lgsp_path": "dvcqg", "headers": {"dstcode": "VN:GOV:000.00.00.G22:DVCQG"}}, "dkkd": {"label": "CSDL quốc gia về đăng ký doanh nghiệp (mô phỏng)", "via_lgsp": true, "lgsp_path": "dkkd"}, "dancu": {"label": "CSDL quốc gia về dân cư (mô phỏng)", "via_lgsp": true, "lgsp_path": "dancu", "read_timeout": 3, "max_attempts": 2}, "remote_signing": {"label": "Dịch vụ ký số từ xa (mô phỏng)", "via_lgsp": true, "lgsp_path": "kysotuxa"}, "dat_dai": {"label": "Cơ sở dữ liệu đất đai (mô phỏng)", "via_lgsp": true, "lgsp_path": "dat_dai"}}'
export MOTCUA_INTEGRATION_SYSTEMS_JSON="${MOTCUA_INTEGRATION_SYSTEMS_JSON:-$DEMO_SYSTEMS}"
export MOTCUA_LGSP_URL="${MOTCUA_LGSP_URL:-http://127.0.0.1:${LGSP_SIM_PORT:-8300}}"
export MOTCUA_LGSP_TOKEN_STYLE="${MOTCUA_LGSP_TOKEN_STYLE:-client_credentials}"
export MOTCUA_LGSP_CLIENT_ID="${MOTCUA_LGSP_CLIENT_ID:-motcua-demo}"
export MOTCUA_LGSP_CLIENT_SECRET="${MOTCUA_LGSP_CLIENT_SECRET:-motcua-demo-lgsp-secret}"
export MOTCUA_LGSP_ACCESS_TOKEN="${MOTCUA_LGSP_ACCESS_TOKEN:-motcua-demo-lgsp-access-key}"
export MOTCUA_NATIONAL_PORTAL_MADONVI="${MOTCUA_NATIONAL_PORTAL_MADONVI:-000.00.00.H19}"
export MOTCUA_NATIONAL_PORTAL_USERNAME="${MOTCUA_NATIONAL_PORTAL_USERNAME:-motcua-demo}"
export MOTCUA_NATIONAL_PORTAL_PASSWORD="${MOTCUA_NATIONAL_PORTAL_PASSWORD:-motcua-demo-password}"
export MOTCUA_EMC_SCRIPT_URL="${MOTCUA_EMC_SCRIPT_URL:-http://127.0.0.1:${EMC_SIM_PORT:-8303}/emc.js}"
export MOTCUA_EMC_SITE_ID="${MOTCUA_EMC_SITE_ID:-DEMO-DONGNAI}"
DEMO_PAGES="{\"dvcqg\": \"http://127.0.0.1:${PORTAL_SIM_PORT:-8301}/\", \"lgsp\": \"http://127.0.0.1:${LGSP_SIM_PORT:-8300}/\", \"paygov\": \"http://127.0.0.1:${PAYMENT_SIM_PORT:-8302}/\", \"emc\": \"http://127.0.0.1:${EMC_SIM_PORT:-8303}/\", \"dkkd\": \"http://127.0.0.1:${BUSINESS_SIM_PORT:-8305}/\", \"dancu\": \"http://127.0.0.1:${POPULATION_SIM_PORT:-8304}/\", \"vneid\": \"http://127.0.0.1:${VNEID_SIM_PORT:-8306}/\", \"remote_signing\": \"http://127.0.0.1:${REMOTE_SIGNING_SIM_PORT:-8310}/\", \"dat_dai\": \"http://127.0.0.1:${LAND_SIM_PORT:-8307}/\"}"
export MOTCUA_DEMO_SIMULATOR_PAGES_JSON="${MOTCUA_DEMO_SIMULATOR_PAGES_JSON:-$DEMO_PAGES}"
# "Đăng nhập bằng VNeID" signs in at the VNeID simulator (demo people with level 1 and level 2 accounts; docs/vneid.md).
export MOTCUA_OIDC_PROVIDERS_JSON="${MOTCUA_OIDC_PROVIDERS_JSON:-{\"vneid\": {\"label\": \"VNeID (mô phỏng)\", \"server_metadata_url\": \"http://127.0.0.1:${VNEID_SIM_PORT:-8306}/.well-known/openid-configuration\", \"client_id\": \"motcua-demo\", \"client_secret\": \"motcua-demo-vneid-secret\"}}}"
# The tax authority and the treasury (docs/land-tax-exchange.md): systems `thue` and `kho_bac` through the gateway's
# /thue/ and /kho_bac/ routes; their simulator pushes notices and confirmations with the demo's token.
MOTCUA_INTEGRATION_SYSTEMS_JSON="$(PETITIONS_URL="http://127.0.0.1:${PETITIONS_SIM_PORT:-8309}" EDXML_URL="http://127.0.0.1:${EDXML_SIM_PORT:-8311}" "${PYTHON:-.venv/bin/python}" -c 'import json, os
systems = json.loads(os.environ.get("MOTCUA_INTEGRATION_SYSTEMS_JSON") or "{}")
for name, label in (("thue", "Cơ quan thuế (mô phỏng)"), ("kho_bac", "Kho bạc Nhà nước (mô phỏng)")):
    systems.setdefault(name, {"label": label, "via_lgsp": True, "lgsp_path": name})
systems.setdefault("national_petitions", {"label": "Hệ thống phản ánh, kiến nghị quốc gia (mô phỏng)",
                                          "base_url": os.environ["PETITIONS_URL"]})
systems.setdefault("edxml", {"label": "Trục liên thông văn bản (mô phỏng)", "base_url": os.environ["EDXML_URL"]})
print(json.dumps(systems, ensure_ascii=False))')"
export MOTCUA_INTEGRATION_SYSTEMS_JSON
export MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN="${MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN:-motcua-demo-tax-push-token}"
# The job worker polls them every 30 s in the demo (production default 300 s): a notice pushed while the site was
# still starting (the sample dossier at the tax step is sent by the worker at once) arrives by the poll instead.
export MOTCUA_TAX_POLL_SECONDS="${MOTCUA_TAX_POLL_SECONDS:-30}"
# The national petitions system (PAKN, direct route, GUESSED shapes): its two sample petitions (one for the
# construction department, one with an unknown agency code, held for the province admin) are pulled every 30 s.
export MOTCUA_PETITIONS_POLL_SECONDS="${MOTCUA_PETITIONS_POLL_SECONDS:-30}"
# The document exchange hub (edXML, docs/document-exchange.md; direct route, GUESSED interface): the simulator's demo
# credentials; its outside agencies answer at once, and the worker fetches the answers every 15 s.
export MOTCUA_EDXML_SYSTEM_ID="${MOTCUA_EDXML_SYSTEM_ID:-motcua-demo}"
export MOTCUA_EDXML_SECRET="${MOTCUA_EDXML_SECRET:-motcua-demo-secret}"
export MOTCUA_EDXML_POLL_SECONDS="${MOTCUA_EDXML_POLL_SECONDS:-15}"
MOTCUA_DEMO_SIMULATOR_PAGES_JSON="$("${PYTHON:-.venv/bin/python}" -c 'import json, os, sys
pages = json.loads(os.environ.get("MOTCUA_DEMO_SIMULATOR_PAGES_JSON") or "{}")
pages.setdefault("thue", sys.argv[1])
pages.setdefault("national_petitions", sys.argv[2])
pages.setdefault("edxml", sys.argv[3])
print(json.dumps(pages))' "http://127.0.0.1:${TAX_SIM_PORT:-8308}/" "http://127.0.0.1:${PETITIONS_SIM_PORT:-8309}/" \
  "http://127.0.0.1:${EDXML_SIM_PORT:-8311}/")"
export MOTCUA_DEMO_SIMULATOR_PAGES_JSON
