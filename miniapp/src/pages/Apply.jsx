// Apply online, step by step: the applicant and agency, the e-form one group a page, the documents (camera,
// gallery or file), check your answers, submit. The answers are kept on the phone until submitted.
import React, { useEffect, useMemo, useState } from "react";
import { Button, useNavigate, useParams } from "zmp-ui";
import { newKey, post, session } from "../api.js";
import { blobToBase64, chooseImages } from "../bridge.js";
import EFormPage, { ErrorSummary, fieldId } from "../form/EForm.jsx";
import { answerSections, pagesOf, questions, readAnswers, validate, valuesOf } from "../form/schema.js";
import { useUnits } from "../units.js";
import { Loading, Problem, Screen, useGet } from "../ui.jsx";

const APPLICANT = [
  ["applicant_name", "Họ và tên người nộp"], ["applicant_id_number", "Số định danh cá nhân"],
  ["applicant_phone", "Số điện thoại"], ["applicant_email", "Thư điện tử"], ["applicant_address", "Địa chỉ liên hệ"],
];
const MAX_FILE_BYTES = 10 * 1024 * 1024;

function draftKey(code) { return `motcua.draft:${code}`; }

function loadDraft(code) {
  try { return JSON.parse(window.localStorage.getItem(draftKey(code))) || {}; } catch { return {}; }
}

function saveDraft(code, draft) {
  try { window.localStorage.setItem(draftKey(code), JSON.stringify(draft)); } catch { /* no room: not kept */ }
}

function hasAnswer(errors, page) {
  return Object.keys(errors).some((path) => page.questions.some((q) => path === q.path || path.startsWith(`${q.path}/`)));
}

export default function Apply() {
  const { code } = useParams();
  const navigate = useNavigate();
  const { data: p, error } = useGet(`/catalog/procedures/${code}`);
  const schema = (p && p.eform_schema) || { type: "object", properties: {} };
  const tree = useMemo(() => questions(schema), [p]); // eslint-disable-line react-hooks/exhaustive-deps
  const pages = useMemo(() => pagesOf(tree), [tree]);
  const units = useUnits(Boolean(p));
  const [draft, setDraft] = useState(() => loadDraft(code));
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState({});
  const [files, setFiles] = useState({}); // slot → [{name, base64}]
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const values = draft.values || {};
  const applicant = draft.applicant || {};
  const agency = draft.agency || (p && p.agencies.length === 1 ? p.agencies[0].eid_code : "");

  useEffect(() => { saveDraft(code, draft); }, [code, draft]);
  useEffect(() => { window.scrollTo(0, 0); const h = document.querySelector(".step-title"); if (h) h.focus(); }, [step]);

  if (error) return <Screen title="Nộp hồ sơ"><Problem error={error} /></Screen>;
  if (!p) return <Screen title="Nộp hồ sơ"><Loading /></Screen>;

  const formSteps = pages.length;
  const docsStep = 1 + formSteps;
  const checkStep = docsStep + 1;
  const total = checkStep + 1;
  const data = readAnswers(schema, values, units);
  const set = (path, value) => setDraft((d) => ({ ...d, values: { ...(d.values || {}), [path]: value } }));
  const setApplicant = (key, value) => setDraft((d) => ({ ...d, applicant: { ...(d.applicant || {}), [key]: value } }));

  function next() {
    setProblem(null);
    if (step === 0 && !agency) { setErrors({ agency: "Chọn nơi giải quyết" }); return; }
    if (step >= 1 && step <= formSteps) {
      const page = pages[step - 1];
      const all = validate(tree, data);
      const mine = Object.fromEntries(Object.entries(all).filter(([path]) => hasAnswer({ [path]: 1 }, page)));
      if (Object.keys(mine).length) { setErrors(mine); return; }
    }
    if (step === docsStep) {
      const missing = (p.required_documents || []).filter((d) => d.mandatory && !(files[d.code] || []).length);
      if (missing.length) {
        setErrors(Object.fromEntries(missing.map((d) => [`doc/${d.code}`, `Đính kèm ${d.name.slice(0, 1).toLowerCase()}${d.name.slice(1)}`])));
        return;
      }
    }
    setErrors({});
    setStep(step + 1);
  }

  async function addFiles(slot, picked) {
    setProblem(null);
    const tooBig = picked.find((f) => f.size > MAX_FILE_BYTES);
    if (tooBig) { setProblem(new Error(`Tệp ${tooBig.name} lớn hơn 10 MB. Vui lòng chọn tệp nhỏ hơn.`)); return; }
    const read = await Promise.all(picked.map(async (f) => ({ name: f.name, base64: f.base64 ?? await blobToBase64(f) })));
    setFiles((current) => ({ ...current, [slot]: [...(current[slot] || []), ...read] }));
    setErrors((e) => { const rest = { ...e }; delete rest[`doc/${slot}`]; return rest; });
  }

  async function photo(slot, source) {
    try { await addFiles(slot, await chooseImages(source)); } catch {
      setProblem(new Error("Không lấy được ảnh. Vui lòng cho phép dùng máy ảnh hoặc chọn tệp."));
    }
  }

  async function submit() {
    setBusy(true); setProblem(null);
    const key = draft.key || newKey();
    setDraft((d) => ({ ...d, key }));
    const documents = Object.entries(files).flatMap(([slot, list]) => list.map((f) => ({ slot, name: f.name, content_base64: f.base64 })));
    try {
      const { data: dossier } = await post("/me/dossiers", {
        procedure_code: p.national_code, agency_eid: agency, form_data: data, documents,
        ...Object.fromEntries(APPLICANT.map(([k]) => [k, (applicant[k] || "").trim()])),
      }, { "Idempotency-Key": key });
      window.localStorage.removeItem(draftKey(code));
      navigate(`/da-nop/${encodeURIComponent(dossier.code)}`, { replace: true });
    } catch (e) {
      setProblem(e);
      if (e.errors && Object.keys(e.errors).length) setErrors(e.errors);
    } finally {
      setBusy(false);
    }
  }

  const stepTitle = step === 0 ? "Người nộp hồ sơ" : step <= formSteps ? pages[step - 1].title
    : step === docsStep ? "Giấy tờ đính kèm" : "Kiểm tra thông tin trước khi nộp";

  return (
    <Screen title="Nộp hồ sơ trực tuyến">
      <p className="caption">{p.name}</p>
      <p className="progress">Bước {step + 1}/{total}</p>
      <h2 className="step-title" tabIndex={-1}>{stepTitle}</h2>
      {p.min_assurance_level >= 1 && Number(session.level()) < p.min_assurance_level ? (
        <p className="notice">Thủ tục này cần đăng nhập bằng VNeID mức {p.min_assurance_level}.{" "}
          <a href="#" onClick={(e) => { e.preventDefault(); navigate(`/tai-khoan?next=/nop/${code}`); }}>Đăng nhập bằng VNeID</a></p>
      ) : null}
      {step !== checkStep ? <ErrorSummary errors={errors} /> : null}
      {step === 0 ? (
        <div className="eform">
          <div className={`field${errors.agency ? " field--error" : ""}`}>
            <label htmlFor="f-agency">Nơi giải quyết</label>
            {errors.agency ? <p className="field-error" id="f-agency-error">{errors.agency}</p> : null}
            <select id="f-agency" value={agency} onChange={(e) => setDraft((d) => ({ ...d, agency: e.target.value }))}>
              <option value="">— Chọn —</option>
              {p.agencies.map((a) => <option key={a.eid_code} value={a.eid_code}>{a.name}</option>)}
            </select>
          </div>
          <p className="hint">Để trống các ô dưới đây để dùng thông tin của tài khoản.</p>
          {APPLICANT.map(([key, label]) => (
            <div className="field" key={key}>
              <label htmlFor={`f-${key}`}>{label} (không bắt buộc)</label>
              <input id={`f-${key}`} value={applicant[key] || ""} onChange={(e) => setApplicant(key, e.target.value)}
                type={key === "applicant_email" ? "email" : key === "applicant_phone" ? "tel" : "text"} />
            </div>
          ))}
        </div>
      ) : null}
      {step >= 1 && step <= formSteps ? (
        <EFormPage questions={pages[step - 1].questions} values={values} onChange={set} errors={errors} units={units} />
      ) : null}
      {step === docsStep ? (
        <ul className="documents">
          {(p.required_documents || []).map((d) => (
            <li key={d.code} className={errors[`doc/${d.code}`] ? "field--error" : ""}>
              <p className="doc-name" id={`doc-${d.code}`}>{d.name}{d.mandatory ? "" : " (nếu có)"}</p>
              {errors[`doc/${d.code}`] ? <p className="field-error">{errors[`doc/${d.code}`]}</p> : null}
              <ul className="attached">{(files[d.code] || []).map((f, i) => <li key={i}>{f.name}</li>)}</ul>
              <div className="doc-actions">
                <Button size="small" variant="secondary" onClick={() => photo(d.code, "camera")}>Chụp ảnh</Button>
                <Button size="small" variant="secondary" onClick={() => photo(d.code, "album")}>Chọn ảnh</Button>
                <label className="file-button" htmlFor={`${fieldId(`doc/${d.code}`)}`}>Chọn tệp
                  <input id={fieldId(`doc/${d.code}`)} type="file" accept="application/pdf,image/*" className="visually-hidden"
                    aria-describedby={`doc-${d.code}`}
                    onChange={(e) => addFiles(d.code, Array.from(e.target.files || []))} /></label>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {step === checkStep ? (
        <>
          <Problem error={problem && !Object.keys(errors).length ? problem : null} />
          {Object.keys(errors).length ? <ErrorSummary errors={errors} /> : null}
          <section className="summary">
            <h3>Người nộp hồ sơ</h3>
            <dl>
              <dt>Nơi giải quyết</dt><dd>{(p.agencies.find((a) => a.eid_code === agency) || {}).name}</dd>
              {APPLICANT.filter(([k]) => applicant[k]).map(([k, label]) => <React.Fragment key={k}><dt>{label}</dt><dd>{applicant[k]}</dd></React.Fragment>)}
            </dl>
            <Button size="small" variant="tertiary" onClick={() => setStep(0)}>Sửa người nộp</Button>
          </section>
          {answerSections(tree, data).map((section, i) => (
            <section className="summary" key={i}>
              <h3>{section.title || "Thông tin khác"}</h3>
              <dl>{section.rows.map((row) => <React.Fragment key={row.path}><dt>{row.label}</dt><dd>{row.value || "—"}</dd></React.Fragment>)}</dl>
              <Button size="small" variant="tertiary" onClick={() => {
                const at = pages.findIndex((pg) => pg.questions.some((q) => section.rows.some((r) => r.path === q.path || r.path.startsWith(`${q.path}/`))));
                setStep(at + 1);
              }}>Sửa {(section.title || "thông tin khác").toLowerCase()}</Button>
            </section>
          ))}
          <section className="summary">
            <h3>Giấy tờ đính kèm</h3>
            <ul>{Object.entries(files).flatMap(([slot, list]) => list.map((f, i) => <li key={`${slot}${i}`}>{f.name}</li>))}</ul>
          </section>
          <p>Tôi cam đoan các thông tin trên là đúng sự thật.</p>
          <Button fullWidth loading={busy} disabled={busy} onClick={submit}>Nộp hồ sơ</Button>
        </>
      ) : null}
      {step !== checkStep ? <Problem error={problem} /> : null}
      {step < checkStep ? (
        <div className="actions">
          <Button fullWidth onClick={next}>Tiếp tục</Button>
          {step > 0 ? <Button fullWidth variant="tertiary" onClick={() => { setErrors({}); setStep(step - 1); }}>Quay lại</Button> : null}
        </div>
      ) : null}
    </Screen>
  );
}
