// Sign in with Zalo (the tokens are exchanged on the server), VNeID for the procedures that need it (a one-time
// code from the province's web portal), follow the Official Account, allow ZNS messages, sign out.
import React, { useState } from "react";
import { Button, useLocation, useNavigate } from "zmp-ui";
import { post, session } from "../api.js";
import { followOA, getAccessToken, getPhoneNumberToken, openWebview, requestSendNotification } from "../bridge.js";
import { API_BASE, OA_ID } from "../config.js";
import { Problem, Screen } from "../ui.jsx";

export default function Account() {
  const navigate = useNavigate();
  const nextPath = new URLSearchParams(useLocation().search).get("next") || "";
  const [, refresh] = useState(0);
  const [problem, setProblem] = useState(null);
  const [done, setDone] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const signedIn = Boolean(session.token());

  async function zaloSignIn() {
    setProblem(null); setBusy(true);
    try {
      let accessToken; let phoneCode;
      try {
        accessToken = await getAccessToken();
        phoneCode = await getPhoneNumberToken();
      } catch {
        throw new Error("Bạn cần đồng ý chia sẻ thông tin và số điện thoại Zalo để đăng nhập.");
      }
      const { data } = await post("/auth/zalo", { access_token: accessToken, phone_code: phoneCode });
      session.signIn(data.token, data.full_name, 0);
      if (nextPath) navigate(nextPath, { replace: true }); else refresh((n) => n + 1);
    } catch (e) { setProblem(e); } finally { setBusy(false); }
  }

  async function vneidCode(e) {
    e.preventDefault();
    setProblem(null);
    try {
      const { data } = await post("/auth/app-code", { code: code.trim() });
      session.signIn(data.token, data.full_name, data.assurance_level);
      setCode("");
      if (nextPath) navigate(nextPath, { replace: true }); else refresh((n) => n + 1);
    } catch (err) { setProblem(err); }
  }

  async function linkZalo() {
    setProblem(null); setDone("");
    try {
      let accessToken; let phoneCode;
      try {
        accessToken = await getAccessToken();
        phoneCode = await getPhoneNumberToken();
      } catch {
        throw new Error("Bạn cần đồng ý chia sẻ thông tin và số điện thoại Zalo để liên kết.");
      }
      await post("/auth/zalo/link", { access_token: accessToken, phone_code: phoneCode });
      setDone("Đã liên kết tài khoản Zalo: lần sau đăng nhập bằng Zalo sẽ vào tài khoản này.");
    } catch (e) { setProblem(e); }
  }

  async function act(fn, message) {
    setProblem(null); setDone("");
    try { await fn(); setDone(message); } catch { setProblem(new Error("Zalo chưa thực hiện được yêu cầu. Vui lòng thử lại.")); }
  }

  return (
    <Screen title="Tài khoản">
      {signedIn ? (
        <p>Bạn đang đăng nhập: <strong>{session.name() || "công dân"}</strong>
          {session.level() ? ` (VNeID mức ${session.level()})` : " (qua Zalo)"}.</p>
      ) : null}
      {signedIn && session.level() ? (
        <section className="card">
          <h2>Liên kết tài khoản Zalo</h2>
          <p>Liên kết Zalo với tài khoản này để lần sau chỉ cần đăng nhập bằng Zalo (thủ tục cần VNeID vẫn phải nhập mã mới).</p>
          <Button fullWidth variant="secondary" onClick={linkZalo}>Liên kết tài khoản Zalo</Button>
        </section>
      ) : null}
      {signedIn ? (
        null
      ) : (
        <section className="card">
          <h2>Đăng nhập bằng Zalo</h2>
          <p>Ứng dụng dùng tên và số điện thoại Zalo của bạn để tạo tài khoản dịch vụ công. Số điện thoại được cơ quan nhà nước xác nhận qua Zalo, không lưu trên điện thoại.</p>
          <Button fullWidth loading={busy} disabled={busy} onClick={zaloSignIn}>Đăng nhập bằng Zalo</Button>
        </section>
      )}
      <section className="card">
        <h2>Đăng nhập bằng VNeID</h2>
        <p>Một số thủ tục (ví dụ đất đai) cần tài khoản định danh điện tử VNeID mức 2. Mở Cổng Dịch vụ công, đăng nhập bằng VNeID, lấy mã liên kết ứng dụng rồi nhập vào đây.</p>
        <Button fullWidth variant="secondary" onClick={() => openWebview(`${API_BASE}/dinh-danh/ma-ung-dung/`)}>Mở trang đăng nhập VNeID</Button>
        <form onSubmit={vneidCode}>
          <label htmlFor="app-code">Mã liên kết ứng dụng</label>
          <input id="app-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="one-time-code" />
          <Button htmlType="submit" fullWidth>Xác nhận mã</Button>
        </form>
      </section>
      <section className="card">
        <h2>Nhận thông báo</h2>
        <Button fullWidth variant="secondary" disabled={!OA_ID} onClick={() => act(() => followOA(OA_ID), "Đã quan tâm Official Account của tỉnh.")}>Quan tâm Official Account</Button>
        <Button fullWidth variant="secondary" onClick={() => act(requestSendNotification, "Bạn sẽ nhận tin nhắn Zalo (ZNS) khi hồ sơ thay đổi.")}>Nhận tin nhắn về hồ sơ qua Zalo</Button>
        {done ? <p className="ok" role="status">{done}</p> : null}
      </section>
      <Problem error={problem} />
      {signedIn ? <Button fullWidth variant="tertiary" onClick={() => { session.signOut(); refresh((n) => n + 1); }}>Đăng xuất</Button> : null}
    </Screen>
  );
}
