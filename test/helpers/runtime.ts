/**
 * Boots the real Node-RED runtime the way `npm start` does (same script, same settings, this
 * package linked into a fresh user dir) on a free port, for smoke, API and dashboard tests.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}
process.once('exit', () => running.forEach((child) => killGroup(child, 'SIGKILL')));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the local port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface RuntimeOptions {
  /** Flows to write into the user dir instead of the defaults from flows/. */
  flows?: unknown[];
  env?: NodeJS.ProcessEnv;
  /** Reuse a user dir (e.g. to restart with the same data). */
  userDir?: string;
}

export class NodeRedRuntime {
  log = '';
  private constructor(
    readonly url: string,
    readonly port: number,
    readonly userDir: string,
    readonly dataDir: string,
    private child: ChildProcess,
  ) {}

  static async start(options: RuntimeOptions = {}): Promise<NodeRedRuntime> {
    const port = await freePort();
    const userDir = options.userDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-nr-'));
    const dataDir = path.join(userDir, 'rpa-vision-data');
    if (options.flows) fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(options.flows));
    const child = spawn(process.execPath, [path.join(root, 'dist', 'scripts', 'start.js')], {
      cwd: root,
      env: {
        ...process.env,
        DISPLAY: '',
        ...options.env,
        PORT: String(port),
        NODE_RED_USER_DIR: userDir,
        RPA_VISION_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: stop() and a test process that exits take Node-RED and the
      // processes its nodes started (a recording, a replay) down with the script, even when
      // Node-RED does not close in time.
      detached: true,
    });
    running.add(child);
    const runtime = new NodeRedRuntime(`http://127.0.0.1:${port}`, port, userDir, dataDir, child);
    child.stdout?.on('data', (d) => (runtime.log += d));
    child.stderr?.on('data', (d) => (runtime.log += d));
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 60_000;
      let probing = false;
      const timer = setInterval(() => {
        if (child.exitCode !== null || Date.now() > deadline) {
          clearInterval(timer);
          killGroup(child, 'SIGKILL'); // no runtime to stop() comes back to the caller
          running.delete(child);
          reject(new Error(`Node-RED did not start (exit ${child.exitCode}):\n${runtime.log}`));
        } else if (/Started flows|Flux démarrés/.test(runtime.log) && !probing) {
          // Node-RED starts its flows and opens its port independently: on a busy machine
          // "Started flows" can come before the port listens, so the port is tried too.
          probing = true;
          void listening(port).then((up) => {
            probing = false;
            if (!up || child.exitCode !== null) return;
            clearInterval(timer);
            resolve();
          });
        }
      }, 100);
    });
    return runtime;
  }

  /** Process id of the `npm start` script; Node-RED itself is its child. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async fetch(pathname: string, init?: RequestInit): Promise<Response> {
    return fetch(this.url + pathname, init);
  }

  async json<T = unknown>(pathname: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    const res = await this.fetch(pathname, {
      ...init,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...(init?.headers ?? {}) },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
    }
    // Whatever of the group outlived the script (Node-RED slow to close, a child of a node).
    killGroup(this.child, 'SIGKILL');
    running.delete(this.child);
  }
}
