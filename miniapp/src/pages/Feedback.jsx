// Petitions (phản ánh, kiến nghị): mine, and a new one about a procedure (/api/v1/feedback).
import React, { useState } from "react";
import { Button, useLocation, useNavigate } from "zmp-ui";
import { newKey, post, session } from "../api.js";
import { ErrorSummary } from "../form/EForm.jsx";
import { Loading, Problem, Screen, Stale, date, useGet } from "../ui.jsx";

const KINDS = [["thu_tuc", "Về quy định, thủ tục hành chính"], ["ho_so", "Về việc giải quyết hồ sơ"],
  ["can_bo", "Về hành vi, thái độ của cơ quan, cán bộ"]];

export function FeedbackList() {
  const navigate = useNavigate();
  const mine = useGet(session.token() ? "/feedback" : null);
  return (
    <Screen title="Phản ánh, kiến nghị">
      {!session.token() ? <p>Vui lòng <a href="#" onClick={(e) => { e.preventDefault(); navigate("/tai-khoan?next=/phan-anh"); }}>đăng nhập bằng Zalo</a> để gửi và theo dõi phản ánh.</p> : null}
      <p>Để gửi phản ánh về một thủ tục, mở thủ tục đó rồi chọn “Phản ánh về thủ tục này”.</p>
      <Button fullWidth variant="secondary" onClick={() => navigate("/thu-tuc")}>Chọn thủ tục</Button>
      <Stale savedAt={mine.savedAt} />
      <Problem error={mine.error} />
      {session.token() && !mine.data && !mine.error ? <Loading /> : null}
      {mine.data && !mine.data.length ? <p>Bạn chưa gửi phản ánh nào.</p> : null}
      <ul className="links">{(mine.data || []).map((f) => (
        <li key={f.code}><strong>{f.title}</strong>
          <span className="meta">{f.code} · {f.status_label} · hạn trả lời {date(f.due_at)}</span>
          {f.reply ? <p>Trả lời: {f.reply}</p> : null}</li>))}</ul>
    </Screen>
  );
}

export function FeedbackNew() {
  const params = new URLSearchParams(useLocation().search);
  const procedure = params.get("thu_tuc") || "";
  const p = useGet(procedure ? `/catalog/procedures/${procedure}` : null);
  const [form, setForm] = useState({ kind: "thu_tuc", agency: "", title: "", content: "", consent: false });
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState(null);
  const [sent, setSent] = useState(null);
  const [key] = useState(newKey);
  const agencies = (p.data && p.data.agencies) || [];
  const agency = form.agency || (agencies.length === 1 ? agencies[0].eid_code : "");
  const set = (k) => (e) => setForm((f) => ({ ...f, [k]: e.target.type === "checkbox" ? e.target.checked : e.target.value }));

  async function send() {
    const missing = {};
    if (!agency) missing.agency = "Chọn cơ quan";
    if (!form.title.trim()) missing.title = "Nhập tiêu đề";
    if (!form.content.trim()) missing.content = "Nhập nội dung phản ánh";
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setProblem(null);
    try {
      const { data } = await post("/feedback", { kind: form.kind, subject: "procedure", agency_eid: agency,
        procedure_code: procedure, title: form.title.trim(), content: form.content.trim(),
        consent_to_publish: form.consent }, { "Idempotency-Key": key });
      setSent(data);
    } catch (e) {
      setProblem(e);
      if (e.errors) setErrors(e.errors);
    }
  }

  if (sent) {
    return (
      <Screen title="Đã gửi phản ánh">
        <div className="panel" role="status"><h2>Đã gửi phản ánh</h2><p>Mã phản ánh</p><p className="code">{sent.code}</p>
          <p>Mã tra cứu: {sent.lookup_secret}</p><p>Hạn trả lời: {date(sent.due_at)}</p></div>
      </Screen>
    );
  }
  return (
    <Screen title="Gửi phản ánh">
      {p.data ? <p className="caption">Về thủ tục: {p.data.name}</p> : null}
      <ErrorSummary errors={errors} />
      <div className="field"><label htmlFor="f-kind">Loại phản ánh</label>
        <select id="f-kind" value={form.kind} onChange={set("kind")}>{KINDS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></div>
      <div className={`field${errors.agency ? " field--error" : ""}`}><label htmlFor="f-agency">Cơ quan</label>
        {errors.agency ? <p className="field-error">{errors.agency}</p> : null}
        <select id="f-agency" value={agency} onChange={set("agency")}><option value="">— Chọn —</option>
          {agencies.map((a) => <option key={a.eid_code} value={a.eid_code}>{a.name}</option>)}</select></div>
      <div className={`field${errors.title ? " field--error" : ""}`}><label htmlFor="f-title">Tiêu đề</label>
        {errors.title ? <p className="field-error">{errors.title}</p> : null}
        <input id="f-title" value={form.title} onChange={set("title")} maxLength={200} /></div>
      <div className={`field${errors.content ? " field--error" : ""}`}><label htmlFor="f-content">Nội dung</label>
        {errors.content ? <p className="field-error">{errors.content}</p> : null}
        <textarea id="f-content" rows={5} value={form.content} onChange={set("content")} /></div>
      <label className="check"><input type="checkbox" checked={form.consent} onChange={set("consent")} /> Đồng ý công khai nội dung (đã che thông tin cá nhân)</label>
      <Problem error={problem} />
      <Button fullWidth onClick={send}>Gửi phản ánh</Button>
    </Screen>
  );
}
