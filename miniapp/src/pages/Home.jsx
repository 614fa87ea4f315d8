import React, { useState } from "react";
import { Button, useNavigate } from "zmp-ui";
import { session } from "../api.js";
import { scanQRCode } from "../bridge.js";
import { Problem, Screen, Stale, useGet } from "../ui.jsx";

/** The code and secret of a look-up link or QR text (…/tra-cuu/?ma=…&mk=… or code=…&secret=…). */
export function parseLookup(text) {
  try {
    const url = new URL(text);
    const p = url.searchParams;
    return { code: p.get("ma") || p.get("code") || "", secret: p.get("mk") || p.get("secret") || p.get("ma_tra_cuu") || "" };
  } catch {
    return { code: "", secret: "" };
  }
}

export default function Home() {
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [code, setCode] = useState("");
  const [secret, setSecret] = useState("");
  const [problem, setProblem] = useState(null);
  const popular = useGet("/catalog/procedures?limit=6");
  const signedIn = Boolean(session.token());

  async function scan() {
    setProblem(null);
    try {
      const found = parseLookup(await scanQRCode());
      if (!found.code) { setProblem(new Error("Mã QR này không phải mã tra cứu hồ sơ.")); return; }
      navigate(`/tra-cuu?code=${encodeURIComponent(found.code)}&secret=${encodeURIComponent(found.secret)}`);
    } catch {
      setProblem(new Error("Không quét được mã QR. Bạn có thể nhập mã hồ sơ và mã tra cứu bên dưới."));
    }
  }

  return (
    <Screen title="Dịch vụ công Đồng Nai" back={false}>
      <p className="account-line">
        {signedIn ? <>Xin chào, {session.name() || "công dân"}. </> : null}
        <a href="#" onClick={(e) => { e.preventDefault(); navigate("/tai-khoan"); }}>
          {signedIn ? "Tài khoản" : "Đăng nhập bằng Zalo"}</a>
      </p>
      <form className="card" role="search" onSubmit={(e) => { e.preventDefault(); navigate(`/thu-tuc?q=${encodeURIComponent(q)}`); }}>
        <h2><label htmlFor="search">Tìm thủ tục hành chính</label></h2>
        <input id="search" type="search" value={q} onChange={(e) => setQ(e.target.value)}
          placeholder="Ví dụ: chuyển nhượng đất" />
        <Button htmlType="submit" fullWidth>Tìm kiếm</Button>
      </form>
      <nav className="tiles" aria-label="Chức năng">
        <Button variant="secondary" onClick={() => navigate("/ho-so")}>Hồ sơ của tôi</Button>
        <Button variant="secondary" onClick={() => navigate("/phan-anh")}>Phản ánh, kiến nghị</Button>
      </nav>
      <section className="card">
        <h2>Thủ tục thường dùng</h2>
        <Stale savedAt={popular.savedAt} />
        <Problem error={popular.error} />
        <ul className="links">
          {(popular.data || []).map((p) => (
            <li key={p.national_code}><a href="#" onClick={(e) => { e.preventDefault(); navigate(`/thu-tuc/${p.national_code}`); }}>
              {p.name}</a></li>
          ))}
        </ul>
      </section>
      <form className="card" onSubmit={(e) => { e.preventDefault(); navigate(`/tra-cuu?code=${encodeURIComponent(code.trim())}&secret=${encodeURIComponent(secret.trim())}`); }}>
        <h2>Tra cứu hồ sơ</h2>
        <label htmlFor="lookup-code">Mã hồ sơ</label>
        <input id="lookup-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />
        <label htmlFor="lookup-secret">Mã tra cứu (in trên phiếu hẹn)</label>
        <input id="lookup-secret" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" />
        <Button htmlType="submit" fullWidth>Tra cứu</Button>
        <Button variant="tertiary" fullWidth onClick={scan}>Quét mã QR trên phiếu hẹn</Button>
        <Problem error={problem} />
      </form>
    </Screen>
  );
}
