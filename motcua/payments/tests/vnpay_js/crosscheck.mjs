// Reads one JSON request on stdin, answers with npm vnpay's result on stdout (tests only).
//   {"op": "build", "config": {...}, "data": {...}}      → {"url": "..."}
//   {"op": "verify", "config": {...}, "query": {...}}    → verifyIpnCall(query)
//   {"op": "querydr", "config": {...}, "query": {...}}   → await queryDr(query) (against config.queryDrAndRefundHost)
import { VNPay } from "vnpay";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);
const vnpay = new VNPay({ hashAlgorithm: "SHA512", ...request.config });
let result;
if (request.op === "build") {
  const data = { ...request.data };
  for (const key of ["vnp_CreateDate", "vnp_ExpireDate"]) if (data[key]) data[key] = Number(data[key]);
  result = { url: vnpay.buildPaymentUrl(data) };
} else if (request.op === "verify") {
  result = vnpay.verifyIpnCall(request.query);
} else if (request.op === "querydr") {
  result = await vnpay.queryDr(request.query);
} else {
  throw new Error(`unknown op ${request.op}`);
}
process.stdout.write(JSON.stringify(result));
