// Where the province's motcua is, and the province's Zalo Official Account (app-config.json → window, or Vite env).
const fromWindow = typeof window !== "undefined" ? window.__MOTCUA_CONFIG__ || {} : {};
export const API_BASE = (fromWindow.apiBase || import.meta.env.VITE_MOTCUA_API_BASE || "").replace(/\/$/, "");
export const OA_ID = fromWindow.oaId || import.meta.env.VITE_ZALO_OA_ID || "";
