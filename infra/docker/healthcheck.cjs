// Container HEALTHCHECK (infra/docker/Dockerfile): GET /-/health on the service's own HTTP port.
// Slim base images ship no curl or wget, and node is already there. Exit 0 = healthy, 1 = not.
'use strict';
const http = require('node:http');

// Port variable and default per app: the same names and defaults as apps/<app>/src/config.ts.
const HTTP_PORT = {
  'pypi-proxy': ['PYPI_PROXY_PORT', 8081],
  'npm-proxy': ['NPM_PROXY_PORT', 8082],
  'audit-gateway': ['AUDIT_GATEWAY_HTTP_PORT', 8083],
};

const entry = HTTP_PORT[process.env.APP ?? ''];
if (!entry) {
  console.error(`healthcheck: unknown APP ${JSON.stringify(process.env.APP)}`);
  process.exit(1);
}
const [portVar, fallback] = entry;
const port = Number(process.env[portVar] || fallback);

const req = http.get({ host: '127.0.0.1', port, path: '/-/health', timeout: 2500 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (err) => {
  console.error(`healthcheck: ${err.message}`);
  process.exit(1);
});
