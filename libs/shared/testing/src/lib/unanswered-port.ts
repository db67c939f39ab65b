import { spawn } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';

/** A loopback port whose connects are never answered, until `release`. */
export interface UnansweredPort {
  release(): Promise<void>;
}

// The child listens with a backlog of one and then blocks its own event loop, so it never accepts a connection.
const HOLDER = `const s=require('net').createServer();
s.listen({port:+process.argv[1],host:'127.0.0.1',backlog:1},()=>{require('fs').writeSync(1,'held\\n');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0);});`;
const QUEUE_LENGTH = 2; // Linux keeps backlog + 1 connections waiting for accept()

/**
 * Makes `port` behave like a firewalled or vanished host: a child process listens there and never accepts, and
 * its accept queue is filled here, so the kernel drops every further SYN (Linux, tcp_abort_on_overflow=0, the
 * default) and a client's connect stays unanswered until its own connect timeout. Nothing is refused or reset:
 * what expires is the client's connect timeout, not its request timeout.
 */
export async function holdUnansweredPort(port: number): Promise<UnansweredPort> {
  const child = spawn(process.execPath, ['-e', HOLDER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  await Promise.race([once(child.stdout, 'data'), exited.then(() => Promise.reject(new Error(`port ${port} could not be held`)))]);
  const fillers: net.Socket[] = [];
  for (let i = 0; i < QUEUE_LENGTH; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    fillers.push(socket);
  }
  return {
    async release() {
      for (const socket of fillers) socket.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
