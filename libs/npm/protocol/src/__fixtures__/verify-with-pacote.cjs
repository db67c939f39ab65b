// Asks npm's own pacote (the module `npm audit signatures` uses) to fetch and verify one version's registry
// signatures, with the keys given the way npm passes them after reading `/-/npm/v1/keys`.
// Usage: node verify-with-pacote.cjs <pacote dir> <spec> <registry URL> <keys JSON> <cache dir>
// Prints one JSON line: {"ok":true,"signatures":[...]} or {"ok":false,"code":"...","message":"..."}.
const [pacoteDir, spec, registry, keysJson, cache] = process.argv.slice(2);
const pacote = require(pacoteDir);
const keys = JSON.parse(keysJson).map((key) => ({ ...key, pemkey: `-----BEGIN PUBLIC KEY-----\n${key.key}\n-----END PUBLIC KEY-----` }));
const { host, pathname } = new URL(registry);
pacote
  .manifest(spec, { registry, cache, preferOnline: true, verifySignatures: true, [`//${host}${pathname}:_keys`]: keys })
  .then((mani) => console.log(JSON.stringify({ ok: true, signatures: mani._signatures ?? null })))
  .catch((err) => console.log(JSON.stringify({ ok: false, code: err.code ?? null, message: err.message })));
