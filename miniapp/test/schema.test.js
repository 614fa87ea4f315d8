import { describe, expect, it } from "vitest";
import {
  answerSections, displayValue, kindOf, leaves, pagesOf, questions, readAnswers, validate, valuesOf,
} from "../src/form/schema.js";
import land from "./land-transfer-schema.json";

const tree = questions(land);

describe("questions", () => {
  it("asks the land transfer's questions in the authored order, grouped", () => {
    expect(tree.map((q) => q.key)).toEqual(
      ["ben_chuyen_nhuong", "ben_nhan_chuyen_nhuong", "thua_dat", "hop_dong", "hinh_thuc_nhan_ket_qua"]);
    expect(tree[2].children.map((q) => q.path)).toEqual(
      ["thua_dat/so_thua", "thua_dat/to_ban_do", "thua_dat/dia_chi_thua", "thua_dat/dien_tich", "thua_dat/so_phat_hanh_gcn"]);
    expect(leaves(tree)).toHaveLength(17);
  });

  it("follows x-order, then sorts the properties it does not list", () => {
    const q = questions({ type: "object", "x-order": ["b"], properties: { c: { type: "string" }, a: { type: "string" }, b: { type: "string" } } });
    expect(q.map((x) => x.key)).toEqual(["b", "a", "c"]);
  });

  it("knows each kind of question", () => {
    expect(kindOf({ type: "string", format: "date" })).toBe("date");
    expect(kindOf({ type: "string", enum: ["nam", "nu"] })).toBe("select");
    expect(kindOf({ type: "string", oneOf: [{ const: "a", title: "A" }] })).toBe("select");
    expect(kindOf({ type: "integer", "x-format": "money" })).toBe("money");
    expect(kindOf({ type: "number" })).toBe("number");
    expect(kindOf({ type: "array", items: { type: "string" } })).toBe("lines");
    expect(kindOf({ type: "object", "x-format": "address" })).toBe("address");
    expect(kindOf({ type: "object", properties: {} })).toBe("group");
    expect(kindOf({ type: "string" })).toBe("text");
  });

  it("labels enum values without titles as the web form does, and uses oneOf titles", () => {
    expect(tree[4].choices).toEqual([["truc_tiep", "Nhận trực tiếp"], ["buu_chinh", "Qua bưu chính"]]);
    expect(questions({ type: "object", properties: { x: { oneOf: [{ const: 1, title: "Một" }] } } })[0].choices)
      .toEqual([["1", "Một"]]);
  });

  it("puts one group a page and the loose questions last", () => {
    expect(pagesOf(tree).map((p) => p.title)).toEqual(
      ["Bên chuyển nhượng", "Bên nhận chuyển nhượng", "Thửa đất", "Hợp đồng chuyển nhượng", "Thông tin khác"]);
  });
});

describe("answers", () => {
  const typed = {
    "ben_chuyen_nhuong/ho_ten": " Phạm Văn Hùng ", "ben_chuyen_nhuong/so_dinh_danh": "075085003456",
    "ben_chuyen_nhuong/ngay_sinh": "1990-05-12", "ben_nhan_chuyen_nhuong/ho_ten": "Trần Thị Bình",
    "ben_nhan_chuyen_nhuong/so_dinh_danh": "075195004321", "thua_dat/so_thua": "125", "thua_dat/to_ban_do": "18",
    "thua_dat/so_phat_hanh_gcn": "DA 123456", "thua_dat/dien_tich": "1250,5", "hop_dong/so_cong_chung": "4521",
    "hop_dong/ngay_cong_chung": "2026-11-10", "hop_dong/gia_chuyen_nhuong": "1.500.000.000",
    "hinh_thuc_nhan_ket_qua": "truc_tiep", "ben_chuyen_nhuong/dia_chi": "  ",
  };
  const data = readAnswers(land, typed);

  it("reads the typed text as the web form's JSON (the same as the web's LAND_ANSWERS)", () => {
    expect(data).toEqual({
      ben_chuyen_nhuong: { ho_ten: "Phạm Văn Hùng", so_dinh_danh: "075085003456", ngay_sinh: "1990-05-12" },
      ben_nhan_chuyen_nhuong: { ho_ten: "Trần Thị Bình", so_dinh_danh: "075195004321" },
      thua_dat: { so_thua: "125", to_ban_do: "18", so_phat_hanh_gcn: "DA 123456", dien_tich: 1250.5 },
      hop_dong: { so_cong_chung: "4521", ngay_cong_chung: "2026-11-10", gia_chuyen_nhuong: 1500000000 },
      hinh_thuc_nhan_ket_qua: "truc_tiep",
    });
    expect(validate(tree, data)).toEqual({});
  });

  it("gives the typed text back from the JSON (a saved draft)", () => {
    const again = readAnswers(land, valuesOf(land, data));
    expect(again).toEqual(data);
  });

  it("keeps a number it cannot read as text, and reports it", () => {
    const bad = readAnswers(land, { ...typed, "thua_dat/dien_tich": "mười", "hop_dong/gia_chuyen_nhuong": "1,5 tỷ" });
    expect(bad.thua_dat.dien_tich).toBe("mười");
    const errors = validate(tree, bad);
    expect(errors["thua_dat/dien_tich"]).toBe("Diện tích (m²) của thửa đất phải là một số");
    expect(errors["hop_dong/gia_chuyen_nhuong"]).toBe("Giá chuyển nhượng (đồng) của hợp đồng chuyển nhượng phải là số nguyên");
  });

  it("reads an address with its text as the web writes it", () => {
    const schema = { type: "object", properties: { a: { type: "object", "x-format": "address", title: "Địa chỉ" } } };
    const units = { name: (code) => ({ 75: "Tỉnh Đồng Nai", 26041: "Phường Trấn Biên" })[code] || "" };
    expect(readAnswers(schema, { "a/province_code": "75", "a/commune_code": "26041", "a/street": " 12  Lê Lợi " }, units))
      .toEqual({ a: { province_code: "75", commune_code: "26041", street: "12 Lê Lợi", text: "12 Lê Lợi, Phường Trấn Biên, Tỉnh Đồng Nai" } });
    expect(readAnswers(schema, { "a/province_code": "75" }, units)).toEqual({});
    expect(validate(questions(schema), { a: { province_code: "75", street: "x" } }))
      .toEqual({ "a/commune_code": "Chọn địa chỉ" });
  });

  it("reads one item a line", () => {
    const schema = { type: "object", properties: { l: { type: "array", items: { type: "string" } } } };
    expect(readAnswers(schema, { l: "a\n\n b \n" })).toEqual({ l: ["a", "b"] });
  });
});

describe("messages, in the web form's words", () => {
  it("names the question and its group", () => {
    const errors = validate(tree, { ben_chuyen_nhuong: { so_dinh_danh: "123", ngay_sinh: "1990-02-30" } });
    expect(errors).toEqual({
      "ben_chuyen_nhuong/ho_ten": "Nhập họ, chữ đệm và tên của bên chuyển nhượng",
      "ben_chuyen_nhuong/so_dinh_danh": "Số định danh cá nhân của bên chuyển nhượng phải gồm 12 chữ số",
      "ben_chuyen_nhuong/ngay_sinh": "Ngày sinh của bên chuyển nhượng phải là một ngày có thật",
      "ben_nhan_chuyen_nhuong/ho_ten": "Nhập họ, chữ đệm và tên của bên nhận chuyển nhượng",
      "ben_nhan_chuyen_nhuong/so_dinh_danh": "Nhập số định danh cá nhân của bên nhận chuyển nhượng",
      "thua_dat/so_thua": "Nhập thửa đất số của thửa đất",
      "thua_dat/to_ban_do": "Nhập tờ bản đồ số của thửa đất",
      "thua_dat/so_phat_hanh_gcn": "Nhập số phát hành Giấy chứng nhận của thửa đất",
      "hop_dong/so_cong_chung": "Nhập số công chứng của hợp đồng chuyển nhượng",
      "hop_dong/ngay_cong_chung": "Nhập ngày công chứng của hợp đồng chuyển nhượng",
    });
  });

  it("checks limits and choices", () => {
    const errors = validate(tree, { thua_dat: { so_thua: "1", to_ban_do: "2", so_phat_hanh_gcn: "x", dien_tich: 0 },
      hinh_thuc_nhan_ket_qua: "bay" });
    expect(errors["thua_dat/dien_tich"]).toBe("Diện tích (m²) của thửa đất phải lớn hơn 0");
    expect(errors.hinh_thuc_nhan_ket_qua).toBe("Chọn hình thức nhận kết quả trong danh sách");
  });
});

describe("check your answers", () => {
  it("shows answers as people read them, under their groups", () => {
    const data = { thua_dat: { dien_tich: 1250.5 }, hop_dong: { ngay_cong_chung: "2026-11-10", gia_chuyen_nhuong: 1500000000 },
      hinh_thuc_nhan_ket_qua: "truc_tiep" };
    const sections = answerSections(tree, data);
    const shown = Object.fromEntries(sections.flatMap((s) => s.rows.map((r) => [`${s.title}|${r.label}`, r.value])));
    expect(shown["Thửa đất|Diện tích (m²)"]).toBe("1.250,5");
    expect(shown["Hợp đồng chuyển nhượng|Ngày công chứng"]).toBe("10/11/2026");
    expect(shown["Hợp đồng chuyển nhượng|Giá chuyển nhượng (đồng)"]).toBe("1.500.000.000 đ");
    expect(shown["|Hình thức nhận kết quả"]).toBe("Nhận trực tiếp");
    expect(displayValue({ type: "boolean" }, true)).toBe("Có");
  });
});
