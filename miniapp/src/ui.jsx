// Small shared pieces: the page frame, loading and error states, dates and money in Vietnamese.
import React, { useEffect, useState } from "react";
import { Header, Icon, Page, useLocation, useNavigate } from "zmp-ui";
import { get } from "./api.js";

export function Screen({ title, back = true, children }) {
  useEffect(() => { document.title = `${title} – Dịch vụ công`; }, [title]);
  return (
    <Page className="screen">
      <header>
        <Header title={title} showBackIcon={back}
          backIcon={<><Icon icon="zi-chevron-left" aria-hidden="true" /><span className="visually-hidden">Quay lại</span></>} />
      </header>
      <main className="content" id="main">
        <h1 className="visually-hidden">{title}</h1>
        {children}
      </main>
      <TabBar />
    </Page>
  );
}

const TABS = [["/", "Trang chủ"], ["/ho-so", "Hồ sơ"], ["/phan-anh", "Phản ánh"], ["/tai-khoan", "Tài khoản"]];

/** The app's main places, at the bottom of every screen. */
function TabBar() {
  const navigate = useNavigate();
  const here = useLocation().pathname;
  return (
    <nav className="tabbar" aria-label="Điều hướng chính">
      {TABS.map(([path, label]) => {
        const current = path === "/" ? here === "/" : here.startsWith(path);
        return (
          <a key={path} href="#" aria-current={current ? "page" : undefined}
            onClick={(e) => { e.preventDefault(); if (!current || here !== path) navigate(path); }}>{label}</a>
        );
      })}
    </nav>
  );
}

export function Problem({ error }) {
  if (!error) return null;
  return <p className="problem" role="alert">{error.message || String(error)}</p>;
}

export function Loading() {
  return <p className="loading" role="status">Đang tải…</p>;
}

export function Stale({ savedAt }) {
  if (!savedAt) return null;
  return <p className="stale" role="status">Đang ngoại tuyến: thông tin lưu lúc {dateTime(savedAt)}.</p>;
}

/** GET PATH once (again when it changes): {data, error, stale, savedAt, reload}. */
export function useGet(path) {
  const [state, setState] = useState({ data: null, error: null, savedAt: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return undefined;
    let live = true;
    setState((s) => ({ ...s, error: null }));
    get(path).then(
      (r) => live && setState({ data: r.data, error: null, savedAt: r.stale ? r.savedAt : null }),
      (e) => live && setState({ data: null, error: e, savedAt: null }),
    );
    return () => { live = false; };
  }, [path, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function date(value) {
  if (!value) return "";
  const d = new Date(value);
  return d.toLocaleDateString("vi-VN", { day: "2-digit", month: "2-digit", year: "numeric",
    timeZone: "Asia/Ho_Chi_Minh" });
}

export function dateTime(value) {
  if (!value) return "";
  const d = new Date(value);
  return `${d.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" })} ${date(value)}`;
}

export function money(value) {
  return `${Number(value || 0).toLocaleString("vi-VN")} đ`;
}

/** "Còn 3 ngày 4 giờ" / "Quá hạn 2 ngày" until DUE (calendar time; the deadline itself is in working time). */
export function countdown(due, now = new Date()) {
  if (!due) return "";
  const ms = new Date(due).getTime() - now.getTime();
  const hours = Math.floor(Math.abs(ms) / 3600000);
  const text = hours >= 24 ? `${Math.floor(hours / 24)} ngày ${hours % 24} giờ` : `${hours} giờ`;
  return ms >= 0 ? `Còn ${text} đến hạn trả kết quả` : `Quá hạn ${text}`;
}
