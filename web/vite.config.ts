import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const VENDOR_CHUNKS: Record<string, RegExp> = {
  react: /node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//,
  antd: /node_modules\/(antd|@ant-design|rc-[^/]+|@rc-component)\//,
  echarts: /node_modules\/(echarts|zrender)\//,
  leaflet: /node_modules\/leaflet\//,
  query: /node_modules\/@tanstack\//,
  i18n: /node_modules\/(i18next|react-i18next)\//,
};

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          for (const [name, pattern] of Object.entries(VENDOR_CHUNKS)) {
            if (pattern.test(id)) return `vendor-${name}`;
          }
          return undefined;
        },
      },
    },
  },
});
