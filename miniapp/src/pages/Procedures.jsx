import React from "react";
import { Button, useLocation, useNavigate, useParams } from "zmp-ui";
import { session } from "../api.js";
import { formatNumber } from "../form/schema.js";
import { Loading, Problem, Screen, Stale, money, useGet } from "../ui.jsx";

const SERVICE = { toan_trinh: "Trực tuyến toàn trình", mot_phan: "Trực tuyến một phần", truc_tiep: "Nộp trực tiếp" };

export function ProcedureList() {
  const q = new URLSearchParams(useLocation().search).get("q") || "";
  const navigate = useNavigate();
  const found = useGet(`/catalog/procedures?q=${encodeURIComponent(q)}&limit=30`);
  return (
    <Screen title="Thủ tục hành chính">
      <p>{q ? <>Kết quả cho “{q}”</> : "Tất cả thủ tục"}</p>
      <Stale savedAt={found.savedAt} />
      <Problem error={found.error} />
      {!found.data && !found.error ? <Loading /> : null}
      {found.data && !found.data.length ? <p>Không tìm thấy thủ tục phù hợp. Hãy thử từ khóa khác.</p> : null}
      <ul className="links">
        {(found.data || []).map((p) => (
          <li key={p.national_code}>
            <a href="#" onClick={(e) => { e.preventDefault(); navigate(`/thu-tuc/${p.national_code}`); }}>{p.name}</a>
            <span className="meta">{p.field} · {SERVICE[p.service_level] || p.service_level}</span>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

export function ProcedureDetail() {
  const { code } = useParams();
  const navigate = useNavigate();
  const { data: p, error, savedAt } = useGet(`/catalog/procedures/${code}`);
  return (
    <Screen title="Chi tiết thủ tục">
      <Stale savedAt={savedAt} />
      <Problem error={error} />
      {!p && !error ? <Loading /> : null}
      {p ? (
        <>
          <h2 className="title">{p.name}</h2>
          <dl className="facts">
            <dt>Mã thủ tục</dt><dd>{p.national_code}</dd>
            <dt>Lĩnh vực</dt><dd>{p.field}</dd>
            <dt>Mức độ</dt><dd>{SERVICE[p.service_level] || p.service_level}</dd>
            <dt>Thời hạn giải quyết</dt><dd>{formatNumber(Number(p.statutory_days))} {p.statutory_unit === "working_days" || !p.statutory_unit ? "ngày làm việc" : p.statutory_unit}</dd>
            <dt>Cơ quan giải quyết</dt><dd>{p.competent_authority}</dd>
          </dl>
          <h3>Phí, lệ phí</h3>
          {p.fees && p.fees.length ? (
            <ul>{p.fees.map((f, i) => (
              <li key={i}>{f.name}{f.amount ? `: ${money(f.amount)}` : ""}
                {f.online_amount !== undefined && f.online_amount !== f.amount ? ` (nộp trực tuyến: ${money(f.online_amount)})` : ""}
                {f.unit && !f.amount ? ` (${f.unit})` : ""}</li>))}</ul>
          ) : <p>Không mất phí.</p>}
          <h3>Thành phần hồ sơ</h3>
          <ul>{(p.required_documents || []).map((d) => (
            <li key={d.code}>{d.name}{d.mandatory ? "" : " (nếu có)"}</li>))}</ul>
          {p.min_assurance_level >= 1 ? (
            <p className="notice">Thủ tục này cần đăng nhập bằng tài khoản định danh điện tử VNeID mức {p.min_assurance_level}.</p>
          ) : null}
          {p.service_level !== "truc_tiep" && p.agencies.length ? (
            <Button fullWidth onClick={() => navigate(session.token() ? `/nop/${p.national_code}` : `/tai-khoan?next=/nop/${p.national_code}`)}>
              Nộp hồ sơ trực tuyến</Button>
          ) : <p className="notice">Thủ tục này nộp trực tiếp tại Bộ phận Một cửa.</p>}
          <Button fullWidth variant="tertiary" onClick={() => navigate(`/phan-anh/moi?thu_tuc=${p.national_code}`)}>
            Phản ánh về thủ tục này</Button>
        </>
      ) : null}
    </Screen>
  );
}
