/**
 * A real Redis for a spec or a benchmark: the Debian `redis-server` on a free port, in a
 * temporary folder, without persistence. restart() keeps the data (SHUTDOWN SAVE, then the same
 * folder), as a broker with persistence that goes away and comes back.
 */
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class RedisServer {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-redis-'));
  port = 0;
  private child?: ChildProcess;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port ||= await freePort();
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(this.port, 10_000);
    return this;
  }

  /** Stops with a snapshot of the data and starts again on the same port and folder. */
  async restart(downMs = 500): Promise<void> {
    await this.cli('SHUTDOWN', 'SAVE').catch(() => undefined);
    await new Promise<void>((resolve) =>
      this.child?.exitCode !== null ? resolve() : this.child.once('exit', () => resolve()),
    );
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  cli(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const c = spawn('redis-cli', ['-p', String(this.port), ...args]);
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.once('error', reject);
      c.once('exit', () => resolve(out.trim()));
    });
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      this.child.kill('SIGKILL');
      await new Promise((r) => this.child!.once('exit', r));
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
