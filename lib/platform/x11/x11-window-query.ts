/**
 * Window facts — the window manager's active window and client list, a window's title, bounds,
 * class, process and owner — asked over a connection of our own to the X server, in the X
 * protocol itself (the x11 package, plain JavaScript). A question about a window that closed
 * meanwhile gets an error reply, never the end of the process (libnut's Xlib ends it: see
 * isWindowId in x11-desktop.ts), and no program is started per question: xwininfo and xprop cost
 * a process each, tens of milliseconds, on every step of a run.
 */
import * as x11 from 'x11';
import type { Rect } from '../types';

type Callback<T> = (err: unknown, result: T) => void;

interface Property {
  type: number;
  data: Buffer;
}

/** The part of the x11 package's client used here. */
interface XClient {
  InternAtom(onlyIfExists: boolean, name: string, cb: Callback<number>): void;
  GetProperty(
    del: number,
    wid: number,
    atom: number,
    type: number,
    offset: number,
    length: number,
    cb: Callback<Property>,
  ): void;
  GetGeometry(wid: number, cb: Callback<{ width: number; height: number }>): void;
  TranslateCoordinates(
    src: number,
    dst: number,
    x: number,
    y: number,
    cb: Callback<{ destX: number; destY: number }>,
  ): void;
  on(event: 'error' | 'end' | 'close', listener: (err?: unknown) => void): void;
  terminate(): void;
  stream: { ref(): void; unref(): void };
}

interface Display {
  client: XClient;
  screen: { root: number }[];
}

const ATOMS = ['_NET_ACTIVE_WINDOW', '_NET_CLIENT_LIST', '_NET_WM_NAME', 'UTF8_STRING', '_NET_WM_PID'] as const;
// Predefined atoms of the core protocol.
const WM_NAME = 39;
const WM_CLASS = 67;
const WM_TRANSIENT_FOR = 68;
const ANY = 0;

export interface WindowFacts {
  title: string;
  bounds: Rect;
}

export interface WindowOwner {
  /** WM_CLASS instance (or class when the instance is empty). */
  appName: string;
  pid?: number;
  /** The window this one is transient for (a dialog's main window). */
  transientFor?: number;
}

export class X11WindowQuery {
  /** Replies awaited: the connection keeps the process alive only while there are some. */
  private pending = 0;
  private closed = false;

  private constructor(
    private readonly client: XClient,
    private readonly root: number,
    private readonly atoms: Record<(typeof ATOMS)[number], number>,
  ) {
    client.on('error', () => undefined); // each request's error goes to its own callback
    client.on('close', () => (this.closed = true));
    client.on('end', () => (this.closed = true));
    client.stream.unref();
  }

  /** A connection to `display`; rejects when the server does not accept one. */
  static async open(display = process.env.DISPLAY): Promise<X11WindowQuery> {
    const { client, screen } = await new Promise<Display>((resolve, reject) => {
      const made = x11.createClient({ display }, (err, d) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(d as Display),
      );
      made.on('error', (err) => reject(err instanceof Error ? err : new Error(String(err))));
    });
    const ids = await Promise.all(ATOMS.map((name) => ask<number>((cb) => client.InternAtom(false, name, cb))));
    const atoms = Object.fromEntries(ATOMS.map((name, i) => [name, ids[i]])) as X11WindowQuery['atoms'];
    return new X11WindowQuery(client, screen[0].root, atoms);
  }

  get usable(): boolean {
    return !this.closed;
  }

  /** The window manager's active window (_NET_ACTIVE_WINDOW); null without a window manager. */
  async activeWindow(): Promise<number | null> {
    const prop = await this.property(this.root, this.atoms._NET_ACTIVE_WINDOW, ANY, 1);
    const id = prop && prop.data.length >= 4 ? prop.data.readUInt32LE(0) : 0;
    return id > 0 ? id : null;
  }

  /** The window manager's client list (_NET_CLIENT_LIST); null without a window manager. */
  async clientList(): Promise<number[] | null> {
    const prop = await this.property(this.root, this.atoms._NET_CLIENT_LIST, ANY, 4096);
    if (!prop || prop.type === 0) return null;
    const out: number[] = [];
    for (let i = 0; i + 4 <= prop.data.length; i += 4) out.push(prop.data.readUInt32LE(i));
    return out;
  }

  /** A live window's title (_NET_WM_NAME in UTF-8, else WM_NAME) and its bounds on the screen; null when it is gone. */
  async describe(handle: number): Promise<WindowFacts | null> {
    try {
      const [geometry, origin, name] = await Promise.all([
        this.request<{ width: number; height: number }>((cb) => this.client.GetGeometry(handle, cb)),
        this.request<{ destX: number; destY: number }>((cb) =>
          this.client.TranslateCoordinates(handle, this.root, 0, 0, cb),
        ),
        this.request<Property>((cb) =>
          this.client.GetProperty(0, handle, this.atoms._NET_WM_NAME, this.atoms.UTF8_STRING, 0, 4096, cb),
        ),
      ]);
      let title = name.type === 0 ? '' : name.data.toString('utf8');
      if (name.type === 0) {
        const legacy = await this.request<Property>((cb) =>
          this.client.GetProperty(0, handle, WM_NAME, ANY, 0, 4096, cb),
        );
        title = legacy.data.toString('latin1');
      }
      return { title, bounds: { x: origin.destX, y: origin.destY, width: geometry.width, height: geometry.height } };
    } catch {
      return null; // closed since it was named
    }
  }

  /** WM_CLASS, _NET_WM_PID and WM_TRANSIENT_FOR of a window; empty when it is gone. */
  async owner(handle: number): Promise<WindowOwner> {
    const [cls, pid, transient] = await Promise.all([
      this.property(handle, WM_CLASS, ANY, 1024),
      this.property(handle, this.atoms._NET_WM_PID, ANY, 1),
      this.property(handle, WM_TRANSIENT_FOR, ANY, 1),
    ]);
    const [instance = '', klass = ''] = cls ? cls.data.toString('latin1').split('\0') : [];
    return {
      appName: instance || klass,
      pid: pid && pid.data.length >= 4 ? pid.data.readUInt32LE(0) : undefined,
      transientFor: transient && transient.data.length >= 4 ? transient.data.readUInt32LE(0) || undefined : undefined,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.terminate();
  }

  private async property(wid: number, atom: number, type: number, longs: number): Promise<Property | null> {
    try {
      return await this.request<Property>((cb) => this.client.GetProperty(0, wid, atom, type, 0, longs, cb));
    } catch {
      return null;
    }
  }

  private async request<T>(send: (cb: Callback<T>) => void): Promise<T> {
    if (this.closed) throw new Error('the connection to the X server is closed');
    if (this.pending++ === 0) this.client.stream.ref();
    try {
      return await ask(send);
    } finally {
      if (--this.pending === 0) this.client.stream.unref();
    }
  }
}

function ask<T>(send: (cb: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    send((err, result) =>
      err
        ? reject(err instanceof Error ? err : new Error(String((err as { message?: string }).message ?? err)))
        : resolve(result),
    ),
  );
}
