/**
 * Test clients for the security specs: a raw HTTP request (fetch forbids setting Host and
 * cannot choose the local address, which is how a test plays a second client), a login, and a
 * socket.io client of the dashboard speaking Engine.IO long-polling over plain HTTP, the way
 * the dashboard's own client starts.
 */
import http from 'http';
import { NodeRedRuntime } from '../helpers/runtime';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The address the request comes from (any 127.x.y.z is this machine). */
  localAddress?: string;
}

export function request(rt: NodeRedRuntime, pathname: string, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: rt.port,
        path: pathname,
        method: options.method ?? 'GET',
        headers: {
          ...options.headers,
          ...(options.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(options.body)) }),
        },
        localAddress: options.localAddress,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST /auth/token with a user's name and password, as the editor does (scope "": the user's own). */
export function login(rt: NodeRedRuntime, username: string, password: string, localAddress?: string) {
  return request(rt, '/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: 'node-red-editor',
      grant_type: 'password',
      scope: '',
      username,
      password,
    }).toString(),
    localAddress,
  });
}

export async function tokenOf(rt: NodeRedRuntime, username: string, password: string): Promise<string> {
  const res = await login(rt, username, password);
  if (res.status !== 200) throw new Error(`login of ${username}: ${res.status} ${res.text}`);
  return (JSON.parse(res.text) as { access_token: string }).access_token;
}

export function basic(username: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** One socket.io connection to the dashboard, over Engine.IO v4 long-polling. */
export class DashboardSocket {
  /** Every message received so far, Engine.IO type included (e.g. `40{…}`, `44{…}`, `42["ui-config",…]`). */
  readonly packets: string[] = [];

  private constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  static async open(rt: NodeRedRuntime, headers: Record<string, string> = {}): Promise<DashboardSocket> {
    const base = `${rt.url}/dashboard/socket.io/?EIO=4&transport=polling`;
    const res = await fetch(base, { headers });
    const text = await res.text();
    if (res.status !== 200 || !text.startsWith('0')) throw new Error(`Engine.IO handshake: ${res.status} ${text}`);
    const { sid } = JSON.parse(text.slice(1)) as { sid: string };
    const socket = new DashboardSocket(`${base}&sid=${sid}`, headers);
    await socket.send('0'); // Socket.IO CONNECT to the main namespace
    return socket;
  }

  /** Sends one Socket.IO packet (Engine.IO message type 4 is added here). */
  async send(packet: string): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { ...this.headers, 'Content-Type': 'text/plain;charset=UTF-8' },
      body: `4${packet}`,
    });
    if (res.status !== 200) throw new Error(`Engine.IO POST: ${res.status} ${await res.text()}`);
  }

  emit(event: string, ...args: unknown[]): Promise<void> {
    return this.send(`2${JSON.stringify([event, ...args])}`);
  }

  /** Polls until a received packet matches, or until `timeoutMs`; answers the server's pings. */
  async waitFor(match: (packet: string) => boolean, timeoutMs = 10_000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.packets.find(match);
      if (found || Date.now() > deadline) return found;
      const res = await fetch(this.url, {
        headers: this.headers,
        signal: AbortSignal.timeout(deadline - Date.now()),
      }).catch(() => undefined);
      if (!res) continue;
      if (res.status !== 200) return this.packets.find(match);
      for (const message of (await res.text()).split('\x1e')) {
        if (message === '2') await this.sendPong();
        else if (message.startsWith('4')) this.packets.push(message);
        else if (message === '1') return this.packets.find(match); // closed by the server
      }
    }
  }

  private async sendPong(): Promise<void> {
    await fetch(this.url, { method: 'POST', headers: { ...this.headers, 'Content-Type': 'text/plain' }, body: '3' });
  }
}
