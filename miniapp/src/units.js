// The 2025 administrative units for the address questions (GET /api/v1/addresses/…), kept as loaded.
import { useEffect, useMemo, useState } from "react";
import { get } from "./api.js";

export function useUnits(needed, defaultProvince = "75") {
  const [provinces, setProvinces] = useState([]);
  const [communes, setCommunes] = useState({});
  const [wanted, setWanted] = useState(new Set());
  useEffect(() => {
    if (!needed) return;
    get("/addresses/provinces").then((r) => setProvinces(r.data), () => {});
  }, [needed]);
  useEffect(() => {
    for (const code of wanted) {
      if (communes[code]) continue;
      get(`/addresses/provinces/${code}/communes`).then(
        (r) => setCommunes((c) => ({ ...c, [code]: r.data })), () => {});
    }
  }, [wanted]); // eslint-disable-line react-hooks/exhaustive-deps
  return useMemo(() => {
    const names = {};
    provinces.forEach((u) => { names[u.code] = u.name; });
    Object.values(communes).flat().forEach((u) => { names[u.code] = u.name; });
    return {
      defaultProvince,
      provinces: () => provinces,
      communes: (code) => {
        if (code && !wanted.has(code)) setTimeout(() => setWanted((w) => new Set([...w, code])), 0);
        return communes[code] || [];
      },
      name: (code) => names[code] || "",
    };
  }, [provinces, communes, wanted, defaultProvince]);
}
