import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Relative asset paths: the same build runs under Zalo's /zapps/<app id>/ and from any test server.
export default defineConfig({
  base: "./",
  plugins: [react()],
  build: { outDir: "dist", sourcemap: false, target: "es2019", chunkSizeWarningLimit: 600 },
  test: { environment: "node", include: ["test/**/*.test.{js,jsx}"] },
});
