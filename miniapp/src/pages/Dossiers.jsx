// My dossiers: the list, one dossier's timeline and deadline, supplement, fees and payment, e-results, survey.
import React, { useState } from "react";
import { Button, useNavigate, useParams } from "zmp-ui";
import { download, post, session } from "../api.js";
import { blobToBase64, chooseImages, openWebview } from "../bridge.js";
import { Loading, Problem, Screen, Stale, countdown, date, dateTime, money, useGet } from "../ui.jsx";

function SignInFirst() {
  const navigate = useNavigate();
  return (
    <p>Vui lòng <a href="#" onClick={(e) => { e.preventDefault(); navigate("/tai-khoan?next=/ho-so"); }}>đăng nhập bằng Zalo</a> để xem hồ sơ của bạn.</p>
  );
}

export function DossierList() {
  const navigate = useNavigate();
  const mine = useGet(session.token() ? "/me/dossiers" : null);
  return (
    <Screen title="Hồ sơ của tôi">
      {!session.token() ? <SignInFirst /> : null}
      <Stale savedAt={mine.savedAt} />
      <Problem error={mine.error} />
      {session.token() && !mine.data && !mine.error ? <Loading /> : null}
      {mine.data && !mine.data.length ? <p>Bạn chưa có hồ sơ nào.</p> : null}
      <ul className="links">
        {(mine.data || []).map((d) => (
          <li key={d.code}>
            <a href="#" onClick={(e) => { e.preventDefault(); navigate(`/ho-so/${encodeURIComponent(d.code)}`); }}>{d.procedure_name}</a>
            <span className="meta">{d.code} · <strong>{d.status_label}</strong></span>
            {d.due_at && !["returned", "result_ready", "refused", "withdrawn", "stopped", "cancelled"].includes(d.status)
              ? <span className="meta">{countdown(d.due_at)}</span> : null}
          </li>
        ))}
      </ul>
    </Screen>
  );
}

export function Submitted() {
  const { code } = useParams();
  const navigate = useNavigate();
  return (
    <Screen title="Đã nộp hồ sơ" back={false}>
      <div className="panel" role="status">
        <h2>Nộp hồ sơ thành công</h2>
        <p>Mã hồ sơ của bạn</p>
        <p className="code" id="dossier-code">{code}</p>
      </div>
      <p>Cơ quan giải quyết sẽ kiểm tra và tiếp nhận hồ sơ. Bạn sẽ nhận được tin nhắn khi hồ sơ có thay đổi.</p>
      <Button fullWidth onClick={() => navigate(`/ho-so/${encodeURIComponent(code)}`, { replace: true })}>Xem hồ sơ</Button>
      <Button fullWidth variant="tertiary" onClick={() => navigate("/", { replace: true })}>Về trang chủ</Button>
    </Screen>
  );
}

function Timeline({ events }) {
  return (
    <ol className="timeline">
      {events.map((e, i) => (
        <li key={i}><strong>{e.status_label}</strong><span className="meta">{dateTime(e.time)}{e.agency ? ` · ${e.agency}` : ""}</span></li>
      ))}
    </ol>
  );
}

function Supplement({ dossier, onDone }) {
  const [files, setFiles] = useState([]);
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState(null);
  const slot = "bo_sung";
  const add = async (picked) => {
    const read = await Promise.all(picked.map(async (f) => ({ name: f.name, base64: f.base64 ?? await blobToBase64(f) })));
    setFiles((current) => [...current, ...read]);
  };
  async function send() {
    setProblem(null);
    try {
      await post(`/me/dossiers/${encodeURIComponent(dossier.code)}/supplement`,
        { note, documents: files.map((f) => ({ slot, name: f.name, content_base64: f.base64 })) });
      setFiles([]);
      onDone();
    } catch (e) { setProblem(e); }
  }
  const request = dossier.supplement_request;
  return (
    <section className="card">
      <h2>Bổ sung hồ sơ</h2>
      {request.reason ? <p>{request.reason}</p> : null}
      <ul>{(request.items || []).map((item, i) => <li key={i}>{typeof item === "string" ? item : item.name || item.label}</li>)}</ul>
      <ul className="attached">{files.map((f, i) => <li key={i}>{f.name}</li>)}</ul>
      <div className="doc-actions">
        <Button size="small" variant="secondary" onClick={async () => add(await chooseImages("camera").catch(() => []))}>Chụp ảnh</Button>
        <label className="file-button" htmlFor="supplement-file">Chọn tệp
          <input id="supplement-file" type="file" className="visually-hidden" accept="application/pdf,image/*"
            onChange={(e) => add(Array.from(e.target.files || []))} /></label>
      </div>
      <label htmlFor="supplement-note">Ghi chú (không bắt buộc)</label>
      <textarea id="supplement-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      <Problem error={problem} />
      <Button fullWidth disabled={!files.length} onClick={send}>Gửi giấy tờ bổ sung</Button>
    </section>
  );
}

function Fees({ code }) {
  const invoices = useGet(`/me/dossiers/${encodeURIComponent(code)}/invoices`);
  const [problem, setProblem] = useState(null);
  async function pay(invoice) {
    setProblem(null);
    try {
      const { data } = await post(`/me/dossiers/${encodeURIComponent(code)}/payments`, { invoice: invoice.number, provider: "vnpay" });
      await openWebview(data.payment_url);
    } catch (e) { setProblem(e); }
  }
  if (!invoices.data || !invoices.data.length) return null;
  return (
    <section className="card">
      <h2>Phí, lệ phí</h2>
      {invoices.data.map((inv) => (
        <div key={inv.number} className="invoice">
          <ul>{inv.lines.map((l, i) => <li key={i}>{l.name}: {money(l.amount)}</li>)}</ul>
          <p>Tổng cộng: <strong>{money(inv.total)}</strong>{inv.paid_amount ? ` · Đã nộp: ${money(inv.paid_amount)}` : ""}</p>
          {inv.outstanding > 0 ? <Button fullWidth onClick={() => pay(inv)}>Thanh toán trực tuyến {money(inv.outstanding)}</Button>
            : <p className="ok">Đã thanh toán{inv.receipts.length ? ` (biên lai ${inv.receipts.join(", ")})` : ""}.</p>}
        </div>
      ))}
      <Problem error={problem} />
    </section>
  );
}

function Results({ code }) {
  const results = useGet(`/me/dossiers/${encodeURIComponent(code)}/results`);
  const [problem, setProblem] = useState(null);
  if (!results.data || !results.data.length) return null;
  return (
    <section className="card">
      <h2>Kết quả điện tử</h2>
      <ul>{results.data.map((r) => (
        <li key={r.id}>{r.name}{r.signed_at ? ` · ký số ngày ${date(r.signed_at)}` : ""}{" "}
          <Button size="small" variant="secondary" onClick={async () => {
            try { await openWebview(await download(r.download_url)); } catch (e) { setProblem(e); }
          }}>Tải kết quả (PDF)</Button></li>))}</ul>
      <Problem error={problem} />
    </section>
  );
}

// The survey's questions and answers (motcua/dossiers/models.py SURVEY), in Vietnamese.
const QUESTIONS = [
  ["overall", "Nhìn chung, anh/chị hài lòng thế nào với việc giải quyết hồ sơ?",
    [[5, "Rất hài lòng"], [4, "Hài lòng"], [3, "Bình thường"], [2, "Không hài lòng"], [1, "Rất không hài lòng"]]],
  ["information", "Thông tin về thủ tục có rõ ràng, đầy đủ không?", [[5, "Có, rõ ràng và đầy đủ"], [3, "Chưa đầy đủ"], [1, "Không"]]],
  ["timeliness", "Kết quả có được trả đúng hẹn không?", [[5, "Có, đúng hẹn hoặc trước hẹn"], [1, "Không, bị trễ hẹn"]]],
  ["staff", "Thái độ và sự hướng dẫn của công chức thế nào?", [[5, "Rất tốt"], [4, "Tốt"], [3, "Bình thường"], [2, "Chưa tốt"], [1, "Kém"]]],
  ["online", "Việc nộp và theo dõi hồ sơ có thuận tiện không?", [[5, "Rất dễ"], [4, "Dễ"], [3, "Bình thường"], [2, "Khó"], [1, "Rất khó"]]],
];

function Survey({ code }) {
  const [answers, setAnswers] = useState({});
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState(null);
  if (done) return <p className="ok" role="status">Cảm ơn bạn đã đánh giá.</p>;
  return (
    <section className="card">
      <h2>Đánh giá mức độ hài lòng</h2>
      {QUESTIONS.map(([key, label, options]) => (
        <fieldset key={key} className="rating">
          <legend>{label}</legend>
          {options.map(([n, text]) => (
            <label key={n}><input type="radio" name={key} value={n} checked={answers[key] === n}
              onChange={() => setAnswers((a) => ({ ...a, [key]: n }))} /> {text}</label>
          ))}
        </fieldset>
      ))}
      <Problem error={problem} />
      <Button fullWidth onClick={async () => {
        try { await post(`/me/dossiers/${encodeURIComponent(code)}/survey`, { answers, comment: "" }); setDone(true); }
        catch (e) { setProblem(e); }
      }}>Gửi đánh giá</Button>
    </section>
  );
}

function Withdraw({ code, onDone }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState(null);
  if (!open) return <Button fullWidth variant="tertiary" onClick={() => setOpen(true)}>Rút hồ sơ</Button>;
  return (
    <section className="card">
      <h2>Rút hồ sơ</h2>
      <p>Hồ sơ đã rút sẽ không được giải quyết tiếp. Bạn có thể nộp lại khi cần.</p>
      <label htmlFor="withdraw-reason">Lý do rút hồ sơ</label>
      <textarea id="withdraw-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      <Problem error={problem} />
      <Button fullWidth onClick={async () => {
        setProblem(null);
        try { await post(`/me/dossiers/${encodeURIComponent(code)}/withdraw`, { reason: reason.trim() }); setOpen(false); onDone(); }
        catch (e) { setProblem(e); }
      }}>Xác nhận rút hồ sơ</Button>
    </section>
  );
}

export function DossierDetail() {
  const { code } = useParams();
  const one = useGet(session.token() ? `/me/dossiers/${encodeURIComponent(code)}` : null);
  const d = one.data;
  const open = d && !["returned", "result_ready", "refused", "withdrawn", "stopped", "cancelled"].includes(d.status);
  return (
    <Screen title="Chi tiết hồ sơ">
      {!session.token() ? <SignInFirst /> : null}
      <Stale savedAt={one.savedAt} />
      <Problem error={one.error} />
      {session.token() && !d && !one.error ? <Loading /> : null}
      {d ? (
        <>
          <h2 className="title">{d.procedure_name}</h2>
          <dl className="facts">
            <dt>Mã hồ sơ</dt><dd id="dossier-code">{d.code}</dd>
            <dt>Mã tra cứu</dt><dd>{d.lookup_secret}</dd>
            <dt>Trạng thái</dt><dd><strong id="dossier-status">{d.status_label}</strong></dd>
            <dt>Ngày nộp</dt><dd>{dateTime(d.submitted_at)}</dd>
            {d.due_at ? <><dt>Hạn trả kết quả</dt><dd>{dateTime(d.due_at)}</dd></> : null}
          </dl>
          {open && d.due_at ? <p className="countdown" role="status">{countdown(d.due_at)}</p> : null}
          {d.supplement_request && !one.savedAt ? <Supplement dossier={d} onDone={one.reload} /> : null}
          {!one.savedAt ? <Fees code={d.code} /> : null}
          {!one.savedAt ? <Results code={d.code} /> : null}
          <section className="card">
            <h2>Quá trình xử lý</h2>
            <Timeline events={d.events} />
          </section>
          <section className="card">
            <h2>Giấy tờ đã nộp</h2>
            <ul>{d.documents.map((doc, i) => <li key={i}>{doc.name}{doc.supplement ? " (bổ sung)" : ""}</li>)}</ul>
          </section>
          {d.status === "returned" && !one.savedAt ? <Survey code={d.code} /> : null}
          {open && !one.savedAt ? <Withdraw code={d.code} onDone={one.reload} /> : null}
        </>
      ) : null}
    </Screen>
  );
}

