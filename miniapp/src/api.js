// The motcua REST API (/api/v1/…): the bearer token, a cache of GET answers for reading offline, and the API's
// errors said in plain Vietnamese.
import { API_BASE } from "./config.js";

const TOKEN_KEY = "motcua.token";
const NAME_KEY = "motcua.name";
const LEVEL_KEY = "motcua.level";
const CACHE_PREFIX = "motcua.get:";

export class ApiError extends Error {
  constructor(status, code, message, errors = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors; // {"thua_dat/so_thua": "Nhập …"} for a form
  }
}

const storage = {
  get(key) { try { return window.localStorage.getItem(key); } catch { return null; } },
  set(key, value) { try { window.localStorage.setItem(key, value); } catch { /* full or refused: no cache */ } },
  remove(key) { try { window.localStorage.removeItem(key); } catch { /* nothing to remove */ } },
  keys() { try { return Object.keys(window.localStorage); } catch { return []; } },
};

export const session = {
  token: () => storage.get(TOKEN_KEY),
  name: () => storage.get(NAME_KEY) || "",
  level: () => Number(storage.get(LEVEL_KEY) || 0),
  signIn(token, name, level = 0) {
    storage.set(TOKEN_KEY, token); storage.set(NAME_KEY, name || ""); storage.set(LEVEL_KEY, String(level || 0));
  },
  signOut() {
    storage.remove(TOKEN_KEY);
    storage.remove(NAME_KEY);
    storage.remove(LEVEL_KEY);
    storage.keys().filter((k) => k.startsWith(`${CACHE_PREFIX}/me/`)).forEach((k) => storage.remove(k));
  },
};

/** The message a person reads for an HTTP STATUS and the API's BODY. */
export function plainMessage(status, body) {
  if (status === 0) return "Không có kết nối mạng. Vui lòng kiểm tra kết nối rồi thử lại.";
  if (status === 401) return "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.";
  if (status === 403) return (body && body.message_vi) || "Bạn không có quyền thực hiện việc này.";
  if (status === 429) return (body && body.message_vi) || "Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.";
  if (status >= 500) return "Hệ thống đang bận hoặc gặp sự cố. Vui lòng thử lại sau ít phút.";
  if (body && body.message_vi) return body.message_vi;
  if (body && Array.isArray(body.detail)) return "Thông tin gửi lên chưa hợp lệ.";
  return "Có lỗi xảy ra. Vui lòng thử lại.";
}

function fieldErrors(body) {
  const errors = {};
  for (const [path, pair] of Object.entries((body && body.errors) || {})) {
    errors[path] = Array.isArray(pair) ? pair[0] : String(pair);
  }
  return errors;
}

/** Call the API. GET answers are kept; when the network fails, the last one kept is returned with
 * `stale: true` (reading offline). Anything else fails with an ApiError in plain words. */
export async function request(method, path, body = undefined, headers = {}) {
  const token = session.token();
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const cacheKey = CACHE_PREFIX + path;
  let response;
  try {
    response = await fetch(`${API_BASE}/api/v1${path}`, init);
  } catch {
    const kept = method === "GET" ? storage.get(cacheKey) : null;
    if (kept) return { ...JSON.parse(kept), stale: true };
    throw new ApiError(0, "offline", plainMessage(0));
  }
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) {
    if (response.status === 401 && token) session.signOut();
    throw new ApiError(response.status, (data && data.code) || String(response.status),
      plainMessage(response.status, data), fieldErrors(data));
  }
  if (method === "GET") storage.set(cacheKey, JSON.stringify({ data, savedAt: new Date().toISOString() }));
  return { data, stale: false };
}

export const get = (path) => request("GET", path);
export const post = (path, body, headers) => request("POST", path, body, headers);

/** A GET of a file (a signed e-result) with the token: a blob URL to open or save. */
export async function download(path) {
  const response = await fetch(`${API_BASE}${path}`, { headers: { Authorization: `Bearer ${session.token()}` } })
    .catch(() => null);
  if (!response) throw new ApiError(0, "offline", plainMessage(0));
  if (!response.ok) throw new ApiError(response.status, "download", plainMessage(response.status, null));
  return URL.createObjectURL(await response.blob());
}

/** A new Idempotency-Key: a retried submission returns the dossier the first one made. */
export function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
