#!/usr/bin/env node
// The "physical limit" reference: the smallest reasonable node:http file server. GET <path> streams
// <root>/<path> with an exact Content-Length; nothing else (no caching headers, no logging).
// Usage: static-server.mjs <root> <port>
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';

const [root, port] = process.argv.slice(2);
if (!root || !port) throw new Error('usage: static-server.mjs <root> <port>');
const base = path.resolve(root);

createServer(async (req, res) => {
  const file = path.join(base, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  if (!file.startsWith(base + path.sep)) return void res.writeHead(400).end();
  try {
    const { size } = await fs.stat(file);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    await pipeline(createReadStream(file), res);
  } catch {
    if (!res.headersSent) res.writeHead(404).end();
  }
}).listen(Number(port), '127.0.0.1');
