import React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import EFormPage, { ErrorSummary } from "../src/form/EForm.jsx";
import { pagesOf, questions } from "../src/form/schema.js";
import land from "./land-transfer-schema.json";

const units = { defaultProvince: "75", provinces: () => [{ code: "75", name: "Tỉnh Đồng Nai" }],
  communes: () => [{ code: "26041", name: "Phường Trấn Biên" }], name: () => "" };
const pages = pagesOf(questions(land));

describe("the e-form's controls", () => {
  it("labels every control and marks the optional ones", () => {
    const html = renderToStaticMarkup(<EFormPage questions={pages[0].questions} values={{}} onChange={() => {}} errors={{}} units={units} />);
    expect(html).toContain('<legend>Bên chuyển nhượng</legend>');
    expect(html).toContain('<label for="f-ben_chuyen_nhuong__ho_ten">Họ, chữ đệm và tên</label>');
    expect(html).toContain('<label for="f-ben_chuyen_nhuong__dia_chi">Nơi cư trú (không bắt buộc)</label>');
    expect(html).toMatch(/<input id="f-ben_chuyen_nhuong__ngay_sinh" name="ben_chuyen_nhuong\/ngay_sinh" type="date"/);
  });

  it("renders choices, money and the address question", () => {
    const html = renderToStaticMarkup(<EFormPage questions={[...pages[2].questions, ...pages[3].questions, ...pages[4].questions]}
      values={{ "hinh_thuc_nhan_ket_qua": "truc_tiep" }} onChange={() => {}} errors={{}} units={units} />);
    expect(html).toContain('<option value="truc_tiep" selected="">Nhận trực tiếp</option>');
    expect(html).toMatch(/id="f-hop_dong__gia_chuyen_nhuong"[^>]*inputMode="numeric"/);
    expect(html).toContain('<label for="f-thua_dat__dia_chi_thua__commune_code">Xã, phường, đặc khu</label>');
    expect(html).toContain('<option value="26041">Phường Trấn Biên</option>');
  });

  it("shows each error by its question and in a summary linking to it", () => {
    const errors = { "ben_chuyen_nhuong/ho_ten": "Nhập họ, chữ đệm và tên của bên chuyển nhượng" };
    const html = renderToStaticMarkup(<EFormPage questions={pages[0].questions} values={{}} onChange={() => {}} errors={errors} units={units} />);
    expect(html).toContain('aria-invalid="true" aria-describedby="f-ben_chuyen_nhuong__ho_ten-error"');
    expect(html).toContain('<p class="field-error" id="f-ben_chuyen_nhuong__ho_ten-error">Nhập họ, chữ đệm và tên của bên chuyển nhượng</p>');
    const summary = renderToStaticMarkup(<ErrorSummary errors={errors} />);
    expect(summary).toContain('<a href="#f-ben_chuyen_nhuong__ho_ten">');
  });
});
