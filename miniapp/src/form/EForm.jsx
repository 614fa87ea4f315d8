// The questions of one page of an e-form (see schema.js): labels, hints, the error next to its question.
import React from "react";

const id = (path) => `f-${path.replace(/\//g, "__")}`;
export { id as fieldId };

function Control({ q, values, onChange, error, units }) {
  const value = values[q.path] ?? "";
  const common = {
    id: id(q.path), name: q.path, "aria-invalid": error ? "true" : undefined,
    "aria-describedby": error ? `${id(q.path)}-error` : undefined,
  };
  const set = (event) => onChange(q.path, event.target.value);
  switch (q.kind) {
    case "select":
      return (
        <select {...common} value={value} onChange={set}>
          <option value="">— Chọn —</option>
          {q.choices.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
        </select>
      );
    case "date":
      return <input {...common} type="date" value={value} onChange={set} />;
    case "money":
    case "number":
      return <input {...common} type="text" inputMode={q.spec.type === "integer" ? "numeric" : "decimal"}
        value={value} onChange={set} />;
    case "lines":
      return <textarea {...common} rows={3} value={value} onChange={set} />;
    default:
      return <input {...common} type="text" value={value} onChange={set}
        autoComplete={q.key === "ho_ten" ? "name" : "off"} maxLength={q.spec.maxLength} />;
  }
}

function Address({ q, values, onChange, errors, units }) {
  const province = values[`${q.path}/province_code`] || units.defaultProvince || "";
  const communes = units.communes(province);
  const part = (name) => `${q.path}/${name}`;
  const err = (name) => errors[part(name)];
  const field = (name, label, control) => (
    <div className={`field${err(name) ? " field--error" : ""}`}>
      <label htmlFor={id(part(name))}>{label}</label>
      {err(name) ? <p className="field-error" id={`${id(part(name))}-error`}>{err(name)}</p> : null}
      {control}
    </div>
  );
  return (
    <fieldset className="address">
      <legend>{q.label}{q.required ? "" : " (không bắt buộc)"}</legend>
      {field("province_code", "Tỉnh, thành phố", (
        <select id={id(part("province_code"))} value={province}
          onChange={(e) => { onChange(part("province_code"), e.target.value); onChange(part("commune_code"), ""); }}>
          <option value="">— Chọn —</option>
          {units.provinces().map((u) => <option key={u.code} value={u.code}>{u.name}</option>)}
        </select>))}
      {field("commune_code", "Xã, phường, đặc khu", (
        <select id={id(part("commune_code"))} value={values[part("commune_code")] || ""}
          onChange={(e) => { onChange(part("province_code"), province); onChange(part("commune_code"), e.target.value); }}>
          <option value="">— Chọn —</option>
          {communes.map((u) => <option key={u.code} value={u.code}>{u.name}</option>)}
        </select>))}
      {field("street", "Số nhà, đường, thôn, ấp", (
        <input id={id(part("street"))} type="text" value={values[part("street")] || ""}
          onChange={(e) => onChange(part("street"), e.target.value)} />))}
    </fieldset>
  );
}

export function Question({ q, values, onChange, errors, units }) {
  if (q.kind === "group") {
    return (
      <fieldset className="group">
        <legend>{q.label}</legend>
        {q.children.map((child) => (
          <Question key={child.path} q={child} values={values} onChange={onChange} errors={errors} units={units} />
        ))}
      </fieldset>
    );
  }
  if (q.kind === "address") return <Address q={q} values={values} onChange={onChange} errors={errors} units={units} />;
  const error = errors[q.path];
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id(q.path)}>{q.label}{q.required ? "" : " (không bắt buộc)"}</label>
      {q.kind === "date" ? <p className="hint">Ví dụ: 27/03/1990</p> : null}
      {q.kind === "lines" ? <p className="hint">Mỗi dòng một mục</p> : null}
      {q.kind === "money" ? <p className="hint">Số tiền, đơn vị đồng</p> : null}
      {error ? <p className="field-error" id={`${id(q.path)}-error`}>{error}</p> : null}
      <Control q={q} values={values} onChange={onChange} error={error} units={units} />
    </div>
  );
}

/** An error summary at the top of a page: each message links to its question. */
export function ErrorSummary({ errors }) {
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>Có lỗi cần sửa</h2>
      <ul>
        {entries.map(([path, text]) => (
          <li key={path}><a href={`#${id(path)}`} onClick={(e) => {
            e.preventDefault();
            const el = document.getElementById(id(path));
            if (el) el.focus();
          }}>{text}</a></li>
        ))}
      </ul>
    </div>
  );
}

export default function EFormPage({ questions, values, onChange, errors, units }) {
  return (
    <div className="eform">
      {questions.map((q) => (
        <Question key={q.path} q={q} values={values} onChange={onChange} errors={errors} units={units} />
      ))}
    </div>
  );
}
