#!/usr/bin/env node
// Benchmark helper (not a test): one tiny server whose only route is GET /empty, built three ways, to
// measure what the Express kit costs per request. Usage (run through tsx for the workspace imports):
//   node --import tsx tools/bench/http-kit-server.mjs <kit|express|http> <port> [logLevel]
// Binds 127.0.0.1 only. Prints "listening" once ready. See tools/bench/http-kit-overhead.sh.
import http from 'node:http';
import express from 'express';
import { createHttpApp, createHttpMetrics, finishHttpApp } from '@registry/shared-http-server';
import { createLogger } from '@registry/shared-logger';
import { Writable } from 'node:stream';

const [mode, portArg, level = 'warn'] = process.argv.slice(2);
const port = Number(portArg);
const send = (res) => { res.setHeader('content-type', 'text/plain'); res.setHeader('content-length', '2'); res.end('ok'); };
let handler;
if (mode === 'http') handler = (req, res) => send(res);
else if (mode === 'express') {
  const app = express();
  app.get('/empty', (req, res) => send(res));
  handler = app;
} else if (mode === 'kit' || mode === 'kit-before') {
  // kit-before: the committed version, for A/B (BENCH_KIT_BEFORE=<dir with git-show'n create-http-app.ts, metrics.ts, ...>).
  const kit = mode === 'kit' ? { createHttpApp, createHttpMetrics, finishHttpApp } : {
    ...(await import(`${process.env.BENCH_KIT_BEFORE}/create-http-app.ts`)), ...(await import(`${process.env.BENCH_KIT_BEFORE}/metrics.ts`)),
  };
  // Access log lines go nowhere, but are still formatted: that is the cost being measured.
  const destination = new Writable({ write(_c, _e, done) { done(); } });
  const logger = createLogger({ name: 'bench', level, destination });
  const app = kit.createHttpApp({ logger, metrics: kit.createHttpMetrics('bench') });
  app.get('/empty', (req, res) => send(res));
  handler = kit.finishHttpApp(app, logger);
} else throw new Error('mode must be kit, kit-before, express or http');
http.createServer(handler).listen(port, '127.0.0.1', () => console.log('listening'));
