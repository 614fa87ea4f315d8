import React from "react";
import { useLocation } from "zmp-ui";
import { Loading, Problem, Screen, Stale, dateTime, useGet } from "../ui.jsx";

export default function Lookup() {
  const params = new URLSearchParams(useLocation().search);
  const code = params.get("code") || "";
  const secret = params.get("secret") || "";
  const found = useGet(code && secret ? `/dossiers/lookup?code=${encodeURIComponent(code)}&secret=${encodeURIComponent(secret)}` : null);
  const d = found.data;
  return (
    <Screen title="Tra cứu hồ sơ">
      {!code || !secret ? <p className="problem" role="alert">Nhập cả mã hồ sơ và mã tra cứu in trên phiếu hẹn.</p> : null}
      <Stale savedAt={found.savedAt} />
      <Problem error={found.error} />
      {code && secret && !d && !found.error ? <Loading /> : null}
      {d ? (
        <>
          <h2 className="title">{d.procedure_name}</h2>
          <dl className="facts">
            <dt>Mã hồ sơ</dt><dd>{d.code}</dd>
            <dt>Người nộp</dt><dd>{d.applicant}</dd>
            <dt>Trạng thái</dt><dd><strong>{d.status_label}</strong></dd>
            {d.due_at ? <><dt>Hạn trả kết quả</dt><dd>{dateTime(d.due_at)}</dd></> : null}
          </dl>
          <ol className="timeline">{d.events.map((e, i) => (
            <li key={i}><strong>{e.status_label}</strong><span className="meta">{dateTime(e.time)}{e.agency ? ` · ${e.agency}` : ""}</span></li>))}</ol>
        </>
      ) : null}
    </Screen>
  );
}
