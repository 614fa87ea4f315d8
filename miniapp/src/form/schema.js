// The e-form of a procedure, from its JSON Schema: the same questions, in the same order, with the same answers as
// the web form (motcua/catalog/eforms.py). Pure functions, no React: unit-tested in test/schema.test.js.
//
// Supported (the subset motcua's e-forms use): objects (groups, nested), strings (text; `format: date`; `enum` or
// `oneOf`/`anyOf` of {const, title} → a choice), integers and numbers (`x-format: money` for đồng), arrays of
// strings (one item per line), addresses (`{"type": "object", "x-format": "address"}`: province → commune of the
// 2025 map, then street). Answers are kept as text keyed by the question's path ("thua_dat/so_thua") while typed.

export const ENUM_LABELS = {
  nam: "Nam", nu: "Nữ", truc_tiep: "Nhận trực tiếp", buu_chinh: "Qua bưu chính", ho_ten: "Họ tên",
  so_giay_to_tuy_than: "Số giấy tờ tùy thân", dia_chi: "Địa chỉ",
};
export const ADDRESS_PARTS = ["province_code", "commune_code", "street"];

/** The schema's properties in the authored order ("x-order"), then any not listed, sorted (as the server does). */
export function orderedProperties(schema) {
  const properties = (schema && schema.properties) || {};
  const listed = (schema["x-order"] || []).filter((k) => k in properties);
  const rest = Object.keys(properties).filter((k) => !listed.includes(k)).sort();
  return [...listed, ...rest].map((k) => [k, properties[k]]);
}

export function choicesOf(spec) {
  const options = spec.oneOf || spec.anyOf;
  if (Array.isArray(options) && options.length && options.every((o) => o && typeof o === "object" && "const" in o)) {
    return options.map((o) => [String(o.const), String(o.title ?? o.const)]);
  }
  return (spec.enum || []).map((v) => [String(v), ENUM_LABELS[String(v)] ?? String(v)]);
}

export function kindOf(spec) {
  const format = spec["x-format"];
  if (format === "address") return "address";
  if (spec.type === "object") return "group";
  if (choicesOf(spec).length) return "select";
  if (spec.format === "date") return "date";
  if (format === "money") return "money";
  if (spec.type === "integer" || spec.type === "number") return "number";
  if (spec.type === "array") return "lines";
  return "text";
}

/** The questions of SCHEMA as a tree: {path, key, label, kind, required, choices, spec, children}. */
export function questions(schema, prefix = "") {
  const required = new Set(schema.required || []);
  return orderedProperties(schema).map(([key, spec]) => {
    const path = prefix ? `${prefix}/${key}` : key;
    const kind = kindOf(spec);
    return {
      path, key, label: spec.title || key, kind, required: required.has(key), choices: choicesOf(spec), spec,
      children: kind === "group" ? questions(spec, path) : [],
    };
  });
}

/** The questions that are asked (not the groups), in order. */
export function leaves(tree) {
  return tree.flatMap((q) => (q.kind === "group" ? leaves(q.children) : [q]));
}

/** The answers typed (VALUES: path → text) as JSON of the schema's types; empty answers are left out (so that
 * `required` catches them); a number that cannot be read is kept as text, for the validation to report.
 * UNITS.name(code) gives the name of a province or commune, for an address's text. */
export function readAnswers(schema, values, units = null, prefix = "") {
  const result = {};
  for (const [key, spec] of orderedProperties(schema)) {
    const path = prefix ? `${prefix}/${key}` : key;
    const kind = kindOf(spec);
    if (kind === "address") {
      const answer = readAddress(values, path, units);
      if (answer) result[key] = answer;
      continue;
    }
    if (kind === "group") {
      const nested = readAnswers(spec, values, units, path);
      if (Object.keys(nested).length) result[key] = nested;
      continue;
    }
    const raw = String(values[path] ?? "").trim();
    if (raw === "") continue;
    if (spec.type === "integer") {
      const digits = raw.replace(/[.,\s]/g, "");
      result[key] = /^-?\d+$/.test(digits) ? Number.parseInt(digits, 10) : raw;
    } else if (spec.type === "number") {
      const number = Number(raw.replace(",", "."));
      result[key] = Number.isFinite(number) ? number : raw;
    } else if (spec.type === "array") {
      result[key] = raw.split("\n").map((line) => line.trim()).filter(Boolean);
    } else {
      result[key] = raw;
    }
  }
  return result;
}

function readAddress(values, path, units) {
  const parts = Object.fromEntries(ADDRESS_PARTS.map((p) => [p, String(values[`${path}/${p}`] ?? "").split(/\s+/)
    .filter(Boolean).join(" ")]));
  if (!parts.commune_code && !parts.street) return null;
  const answer = Object.fromEntries(Object.entries(parts).filter(([, v]) => v));
  const commune = units && parts.commune_code ? units.name(parts.commune_code) : "";
  const province = units && parts.province_code ? units.name(parts.province_code) : "";
  if (commune && province) answer.text = [parts.street, commune, province].filter(Boolean).join(", ");
  return answer;
}

/** The typed VALUES (path → text) of the JSON answers DATA (to show a saved draft again). */
export function valuesOf(schema, data, prefix = "") {
  const values = {};
  for (const [key, spec] of orderedProperties(schema)) {
    const path = prefix ? `${prefix}/${key}` : key;
    const value = data ? data[key] : undefined;
    if (value === undefined || value === null) continue;
    const kind = kindOf(spec);
    if (kind === "group") Object.assign(values, valuesOf(spec, value, path));
    else if (kind === "address") ADDRESS_PARTS.forEach((p) => { if (value[p]) values[`${path}/${p}`] = value[p]; });
    else values[path] = Array.isArray(value) ? value.join("\n") : String(value);
  }
  return values;
}

const group = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");

/** A number as Vietnamese readers write it: "1.500.000", "1.250,5". */
export function formatNumber(value) {
  const [whole, fraction] = String(Math.abs(value)).split(".");
  return (value < 0 ? "-" : "") + group(whole) + (fraction ? `,${fraction}` : "");
}

/** An answer as a person reads it (check your answers): the choice's label, dd/mm/yyyy, "1.500.000 đ". */
export function displayValue(spec, value) {
  if (value === undefined || value === null || value === "") return "";
  const kind = kindOf(spec);
  if (kind === "address") return value.text || [value.street].filter(Boolean).join(", ");
  if (Array.isArray(value)) return value.map((v) => displayValue(spec.items || {}, v)).join(", ");
  if (kind === "select") return Object.fromEntries(choicesOf(spec))[String(value)] ?? String(value);
  if (kind === "date") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
    return m ? `${m[3]}/${m[2]}/${m[1]}` : String(value);
  }
  if (typeof value === "boolean") return value ? "Có" : "Không";
  if (typeof value === "number") return kind === "money" ? `${formatNumber(value)} đ` : formatNumber(value);
  return String(value);
}

/** "Check your answers": [{title, rows: [{path, label, value}]}], loose questions first, then one per group. */
export function answerSections(tree, data, title = "") {
  const rows = tree.filter((q) => q.kind !== "group").map((q) => ({
    path: q.path, label: q.label, value: displayValue(q.spec, data ? data[q.key] : undefined),
  }));
  const sections = rows.length ? [{ title, rows }] : [];
  for (const q of tree.filter((item) => item.kind === "group")) {
    sections.push(...answerSections(q.children, data ? data[q.key] : undefined, q.label));
  }
  return sections;
}

// --- what is wrong with the answers, in the words of the web form --------------------------------------------

function lower(title) { return title.slice(0, 1).toLowerCase() + title.slice(1); }

function names(q, parent) {
  const field = lower(q.label);
  const Field = q.label;
  if (!parent) return { field, Field };
  return { field: `${field} của ${lower(parent.label)}`, Field: `${Field} của ${lower(parent.label)}` };
}

function problemOf(q, value) {
  const spec = q.spec;
  if (q.kind === "select") return choicesOf(spec).some(([v]) => v === String(value)) ? null : ["choice"];
  if (q.kind === "date") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
    const date = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return date && date.getUTCDate() === +m[3] && date.getUTCMonth() === +m[2] - 1 ? null : ["date"];
  }
  if (spec.type === "integer" || spec.type === "number") {
    if (typeof value !== "number" || (spec.type === "integer" && !Number.isInteger(value))) return ["type"];
    if (spec.minimum !== undefined && value < spec.minimum) return ["minimum", spec.minimum];
    if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum) return ["exclusiveMinimum", spec.exclusiveMinimum];
    if (spec.maximum !== undefined && value > spec.maximum) return ["maximum", spec.maximum];
    return null;
  }
  if (typeof value === "string") {
    if (spec.minLength !== undefined && value.length < spec.minLength) return spec.minLength <= 1 ? ["missing"] : ["minLength", spec.minLength];
    if (spec.maxLength !== undefined && value.length > spec.maxLength) return ["maxLength", spec.maxLength];
    if (spec.pattern && !new RegExp(spec.pattern, "u").test(value)) return ["pattern", spec.pattern];
  }
  if (Array.isArray(value) && spec.minItems !== undefined && value.length < spec.minItems) {
    return spec.minItems <= 1 ? ["missing"] : ["minItems", spec.minItems];
  }
  return null;
}

export function message(q, parent, problem, limit) {
  const n = names(q, parent);
  const shown = typeof limit === "number" ? formatNumber(limit) : limit;
  switch (problem) {
    case "missing": return q.kind === "select" || q.kind === "address" ? `Chọn ${n.field}` : `Nhập ${n.field}`;
    case "choice": return `Chọn ${n.field} trong danh sách`;
    case "date": return `${n.Field} phải là một ngày có thật`;
    case "type": return q.spec.type === "integer" ? `${n.Field} phải là số nguyên` : `${n.Field} phải là một số`;
    case "pattern": {
      const digits = /^\^(?:\[0-9\]|\\d)\{(\d+)\}\$$/.exec(String(limit));
      return digits ? `${n.Field} phải gồm ${digits[1]} chữ số` : `${n.Field} không đúng định dạng`;
    }
    case "maxLength": return `${n.Field} không được dài quá ${shown} ký tự`;
    case "minLength": return `${n.Field} phải có ít nhất ${shown} ký tự`;
    case "minimum": return `${n.Field} phải từ ${shown} trở lên`;
    case "exclusiveMinimum": return `${n.Field} phải lớn hơn ${shown}`;
    case "maximum": return `${n.Field} không được lớn hơn ${shown}`;
    case "minItems": return `Nhập ít nhất ${shown} dòng cho ${n.field}`;
    default: return `${n.Field} không hợp lệ`;
  }
}

/** What is wrong with DATA: {path: Vietnamese message}, in the order the questions are asked. The server checks
 * again (its messages, keyed the same way, are shown the same way); this spares a round trip on a phone. */
export function validate(tree, data, parent = null, parentRequired = true) {
  const errors = {};
  for (const q of tree) {
    const value = data ? data[q.key] : undefined;
    if (q.kind === "group") {
      // A required group left empty reports its own required questions; an optional empty group nothing.
      if (value === undefined && !q.required) continue;
      Object.assign(errors, validate(q.children, value || {}, q, true));
      continue;
    }
    if (value === undefined) {
      if (q.required && parentRequired) errors[q.path] = message(q, parent, "missing");
      continue;
    }
    if (q.kind === "address") {
      if (!value.province_code) errors[`${q.path}/province_code`] = message(q, parent, "missing");
      else if (!value.commune_code) errors[`${q.path}/commune_code`] = message(q, parent, "missing");
      continue;
    }
    const problem = problemOf(q, value);
    if (problem) errors[q.path] = message(q, parent, problem[0], problem[1]);
  }
  return errors;
}

/** The groups of a long form as pages (one group a page, the loose questions together on the last page). */
export function pagesOf(tree) {
  const groups = tree.filter((q) => q.kind === "group").map((q) => ({ title: q.label, questions: [q] }));
  const loose = tree.filter((q) => q.kind !== "group");
  return loose.length ? [...groups, { title: "Thông tin khác", questions: loose }] : groups;
}
