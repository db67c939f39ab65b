// Creates (once, cached) the pinned Python clients venv and hands its path to the suites.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  const script = path.join(__dirname, '../../tools/python/ensure-clients.sh');
  const venv = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
  process.env.PYPI_E2E_CLIENTS_VENV = venv;
};
