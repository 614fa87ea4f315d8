// Every call to the Zalo Mini App bridge (zmp-sdk) goes through this module, and only this one.
//
// Outside Zalo (the browser tests), a test double may be installed before the app starts as
// window.__MOTCUA_ZALO_BRIDGE__ = {getAccessToken, getPhoneNumber, ...}: each function it has replaces the
// zmp-sdk call of the same name. The published app never sets it; a page script able to set it could already do
// anything the app does. zmp-sdk itself is loaded on the first real call (it signs in to Zalo as it loads, which
// fails outside Zalo).
let sdk = null;
const zmpSdk = () => (sdk ??= import("zmp-sdk/apis"));

async function call(name, args) {
  const fake = typeof window !== "undefined" && window.__MOTCUA_ZALO_BRIDGE__;
  if (fake && typeof fake[name] === "function") return fake[name](args);
  return (await zmpSdk())[name](args);
}

/** The Zalo user's access token (the user agrees to share their profile). */
export async function getAccessToken() {
  return call("getAccessToken");
}

/** A one-time token for the phone number Zalo verified (the user agrees to share it); the server exchanges it. */
export async function getPhoneNumberToken() {
  const result = await call("getPhoneNumber", {});
  if (!result || !result.token) throw new Error("phone_not_shared");
  return result.token;
}

/** The text of a QR code scanned with the camera (a dossier receipt's QR: a look-up link). */
export async function scanQRCode() {
  const result = await call("scanQRCode", {});
  return (result && result.content) || "";
}

/** Photos taken with the camera or chosen from the gallery: [{name, type, base64}]. */
export async function chooseImages(sourceType) {
  const fake = typeof window !== "undefined" && window.__MOTCUA_ZALO_BRIDGE__;
  if (fake && typeof fake.chooseImage === "function") return fake.chooseImage({ sourceType });
  const result = await (await zmpSdk()).chooseImage({ count: 1, sourceType: [sourceType], cameraType: "back" });
  const files = [];
  for (const path of result.filePaths || []) {
    const blob = await (await fetch(path)).blob();
    files.push({ name: path.split("/").pop() || "anh.jpg", type: blob.type || "image/jpeg",
      base64: await blobToBase64(blob) });
  }
  return files;
}

export function blobToBase64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",")[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** Follow the province's Official Account (its news and the dossier messages). */
export async function followOA(id) {
  return call("followOA", { id, showDialogConfirm: true });
}

/** Ask the user to let the Mini App send notifications (ZNS messages about their dossiers). */
export async function requestSendNotification() {
  return call("requestSendNotification", {});
}

/** Open an address outside the Mini App (a payment page, the VNeID sign-in, a downloaded PDF). */
export async function openWebview(url) {
  const fake = typeof window !== "undefined" && window.__MOTCUA_ZALO_BRIDGE__;
  if (fake && typeof fake.openWebview === "function") return fake.openWebview({ url });
  if (typeof window !== "undefined" && !window.APP_ID) {  // a plain browser (development): a new tab
    window.open(url, "_blank", "noopener");
    return undefined;
  }
  return (await zmpSdk()).openWebview({ url, config: { style: "normal" } });
}
