/**
 * The embedded store: one LevelDB database per data directory and process, with named
 * sub-stores ("chains", "triggers", "logs", …) holding JSON values. Opened once, shared by
 * everyone in the process through reference counting, closed when the last user releases it.
 *
 * Values are sealed like the data files (lib/contracts/sealed-files) when a data key is in use:
 * the JSON of each value, AES-256-GCM behind the "RPAVSEAL" header. Values written in clear
 * before a key was configured read as they are. Keys (ids, timestamps) stay in clear so range
 * scans keep working.
 */
import fs from 'fs';
import path from 'path';
import { Level } from 'level';
import { dataKeyInUse, isSealed, open, openData, seal, sealForDisk } from '../contracts/sealed-files';
import { resolveDataDir } from './data-dir';

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly location: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** Who holds a store: written next to the database when it opens, read when another process cannot open it. */
export interface StoreHolder {
  pid: number;
  command: string;
  since: string;
}

const HOLDER_FILE = 'HOLDER.json';
const SEALED_MARK = 'SEALED';

/**
 * Another process has the store open. `message` names the data directory and that process (for
 * the console of `npm start` and the CLI); `publicMessage` leaves the path out (for HTTP clients).
 */
export class StoreLockedError extends StoreError {
  override name = 'StoreLocked';
  readonly status = 503;
  readonly publicMessage: string;
  constructor(
    location: string,
    readonly holder: StoreHolder | undefined,
    cause?: unknown,
  ) {
    const who = holder ? `process ${holder.pid} (${holder.command}, since ${holder.since})` : 'another process';
    super(
      `the store ${location} is in use by ${who}: stop it, or give this one another data directory (RPA_VISION_DATA_DIR, or --data-dir for the CLI)`,
      location,
      cause,
    );
    this.publicMessage = `the store is in use by ${holder ? `process ${holder.pid}` : 'another process'} with the same data directory; retry once it has stopped`;
  }
}

function readHolder(location: string): StoreHolder | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(path.join(location, HOLDER_FILE), 'utf8')) as StoreHolder;
    if (typeof h.pid !== 'number') return undefined;
    process.kill(h.pid, 0); // throws when that process is gone: the file is stale
    return h;
  } catch {
    return undefined;
  }
}

function writeHolder(location: string): void {
  // The script with its folder says what runs: "node-red/red.js", "bin/rpa-vision.js run".
  const [script, command] = process.argv.slice(1, 3);
  const holder: StoreHolder = {
    pid: process.pid,
    command: script
      ? `${path.basename(path.dirname(script))}/${path.basename(script)}${command && !command.startsWith('-') ? ` ${command}` : ''}`
      : path.basename(process.execPath),
    since: new Date().toISOString(),
  };
  try {
    fs.writeFileSync(path.join(location, HOLDER_FILE), JSON.stringify(holder) + '\n', { mode: 0o600 });
  } catch {
    // only a courtesy to the next process's error message
  }
}

/** A named sub-store of JSON values keyed by strings. */
export interface SubStore<V = unknown> {
  readonly name: string;
  get(key: string): Promise<V | undefined>;
  put(key: string, value: V): Promise<void>;
  del(key: string): Promise<void>;
  /** Writes and deletes atomically. */
  batch(ops: Array<{ type: 'put'; key: string; value: V } | { type: 'del'; key: string }>): Promise<void>;
  /** Entries in key order, optionally within [gte, lte] and up to `limit`. */
  entries(options?: { gte?: string; lte?: string; limit?: number; reverse?: boolean }): Promise<Array<[string, V]>>;
  values(options?: { gte?: string; lte?: string; limit?: number; reverse?: boolean }): Promise<V[]>;
  clear(): Promise<void>;
}

export interface Store {
  readonly location: string;
  sub<V = unknown>(name: string): SubStore<V>;
  /** Releases this handle; the database closes when the last handle is released. */
  close(): Promise<void>;
}

type Db = Level<string, unknown>;
interface Shared {
  db: Db;
  users: number;
  opening: Promise<void>;
}
const openDatabases = new Map<string, Shared>();

const SUBSTORE_NAME = /^[a-z][a-z0-9_-]{0,40}$/;

export { resolveDataDir } from './data-dir';

function wrapSub<V>(db: Db, name: string): SubStore<V> {
  if (!SUBSTORE_NAME.test(name))
    throw new StoreError(`invalid sub-store name "${name}" (lowercase letters, digits, - and _)`, name);
  const sub = db.sublevel<string, Buffer>(name, { valueEncoding: 'buffer' });
  const encode = (value: V) => sealForDisk(Buffer.from(JSON.stringify(value), 'utf8'));
  const decode = (key: string, data: Buffer) =>
    JSON.parse(openData(data, `the entry ${key} of the store's ${name}`).toString('utf8')) as V;
  const range = (o: { gte?: string; lte?: string; limit?: number; reverse?: boolean } = {}) => {
    const r: Record<string, unknown> = { limit: o.limit ?? -1, reverse: !!o.reverse };
    if (o.gte !== undefined) r.gte = o.gte;
    if (o.lte !== undefined) r.lte = o.lte;
    return r;
  };
  return {
    name,
    async get(key) {
      try {
        const data = await sub.get(key);
        return data === undefined ? undefined : decode(key, data);
      } catch (err) {
        if ((err as { code?: string }).code === 'LEVEL_NOT_FOUND') return undefined;
        throw err;
      }
    },
    put: async (key, value) => sub.put(key, encode(value)),
    del: (key) => sub.del(key),
    batch: async (ops) =>
      sub.batch(
        ops.map((op) =>
          op.type === 'put'
            ? { type: 'put' as const, key: op.key, value: encode(op.value) }
            : { type: 'del' as const, key: op.key },
        ),
      ),
    entries: async (o) => (await sub.iterator(range(o)).all()).map(([k, v]) => [k, decode(k, v)] as [string, V]),
    values: async (o) => (await sub.iterator(range(o)).all()).map(([k, v]) => decode(k, v)),
    clear: () => sub.clear(),
  };
}

/**
 * Opens (or joins) the store of `dataDir`. The database lives in `<dataDir>/store`.
 * Fails with a StoreError that says why: not writable, or locked by another process.
 */
export async function openStore(dataDir?: string): Promise<Store> {
  const location = path.join(resolveDataDir(dataDir), 'store');
  let shared = openDatabases.get(location);
  if (!shared) {
    try {
      fs.mkdirSync(location, { recursive: true });
      fs.accessSync(location, fs.constants.W_OK);
    } catch (err) {
      throw new StoreError(`the data directory ${location} is not writable: ${(err as Error).message}`, location, err);
    }
    const db: Db = new Level<string, unknown>(location, { valueEncoding: 'json' });
    const entry: Shared = {
      db,
      users: 0,
      opening: db.open().then(() =>
        // Not fatal: the store still reads both kinds, and the next open tries again.
        sealClearValues(db, location).catch(() => undefined),
      ),
    };
    openDatabases.set(location, entry);
    shared = entry;
    try {
      await entry.opening;
    } catch (err) {
      openDatabases.delete(location);
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      if (/lock/i.test(cause)) throw new StoreLockedError(location, readHolder(location), err);
      throw new StoreError(`cannot open the store ${location}: ${cause}`, location, err);
    }
    writeHolder(location);
  } else {
    await shared.opening;
  }
  shared.users++;
  const db = shared.db;
  let released = false;
  return {
    location,
    sub: <V>(name: string) => wrapSub<V>(db, name),
    async close() {
      if (released) return;
      released = true;
      const s = openDatabases.get(location);
      if (!s || --s.users > 0) return;
      openDatabases.delete(location);
      fs.rmSync(path.join(location, HOLDER_FILE), { force: true });
      await db.close();
    },
  };
}

type Reseal = (value: Buffer) => Buffer | undefined;

/**
 * Rewrites the values `change` returns a new form for, in one atomic batch, then compacts the
 * database so no old (clear or old-key) copy lingers in LevelDB's files. `change` throws for a
 * value it cannot read: that key is reported, its value left as it is.
 */
async function rewriteValues(db: Db, change: Reseal): Promise<{ rewritten: number; unreadable: string[] }> {
  const ops: Array<{ type: 'put'; key: string; value: Buffer }> = [];
  const unreadable: string[] = [];
  for (const [key, value] of await db
    .iterator<string, Buffer>({ keyEncoding: 'utf8', valueEncoding: 'buffer' })
    .all()) {
    try {
      const next = change(value);
      if (next) ops.push({ type: 'put', key, value: next });
    } catch {
      unreadable.push(key);
    }
  }
  if (ops.length) {
    await db.batch(ops, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    // Node's Level is classic-level, which has compactRange (the browser's does not).
    const compactable = db as unknown as { compactRange(a: string, b: string, o: object): Promise<void> };
    await compactable.compactRange('\u0000', '\uffff', { keyEncoding: 'utf8' });
  }
  return { rewritten: ops.length, unreadable };
}

/**
 * With a data key in use, a store opened for the first time since it was written without one
 * has its clear values sealed (once: SEALED_MARK says it was done, and is removed whenever the
 * store is opened without a key, since clear values may then be written).
 */
async function sealClearValues(db: Db, location: string): Promise<void> {
  const mark = path.join(location, SEALED_MARK);
  const key = dataKeyInUse();
  if (!key) {
    fs.rmSync(mark, { force: true });
    return;
  }
  if (fs.existsSync(mark)) return;
  await rewriteValues(db, (v) => (isSealed(v) ? undefined : seal(v, key)));
  fs.writeFileSync(mark, '', { mode: 0o600 });
}

/**
 * Re-seals every value of the store of `dataDir` with `newKey` (opened with `oldKey`; clear
 * values are sealed too), for `rpa-vision data-key rotate`; the store must not be open in
 * another process. Returns how many values changed and the keys `oldKey` cannot open.
 */
export async function resealStore(
  dataDir: string,
  oldKey: Buffer | null,
  newKey: Buffer,
): Promise<{ resealed: number; unreadable: string[] }> {
  const store = await openStore(dataDir);
  try {
    const { rewritten, unreadable } = await rewriteValues(openDatabases.get(store.location)!.db, (v) =>
      seal(isSealed(v) ? open(v, oldKey) : v, newKey),
    );
    return { resealed: rewritten, unreadable };
  } finally {
    await store.close();
  }
}

function databaseOf(store: Store): Db {
  const shared = openDatabases.get(store.location);
  if (!shared) throw new StoreError(`the store ${store.location} is closed`, store.location);
  return shared.db;
}

/**
 * A consistent copy of the whole store (every sub-store, as of one instant: one iterator reads
 * one snapshot) into a new database at `targetDir`, while the store stays in use.
 */
export async function backupStore(store: Store, targetDir: string): Promise<{ entries: number }> {
  const db = databaseOf(store);
  if (fs.existsSync(targetDir) && fs.readdirSync(targetDir).length)
    throw new StoreError(`the backup folder ${targetDir} is not empty`, targetDir);
  const copy = new Level<Buffer, Buffer>(targetDir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await copy.open();
  let entries = 0;
  try {
    let batch = copy.batch();
    for await (const [key, value] of db.iterator<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' })) {
      batch.put(key, value);
      if (++entries % 1000 === 0) {
        await batch.write();
        batch = copy.batch();
      }
    }
    await batch.write();
  } finally {
    await copy.close();
  }
  return { entries };
}

/** Compacts the whole store (LevelDB rewrites its files without deleted and overwritten values). */
export async function compactStore(store: Store): Promise<void> {
  const db = databaseOf(store) as unknown as {
    compactRange(start: Buffer, end: Buffer, options: { keyEncoding: string }): Promise<void>;
  };
  await db.compactRange(Buffer.alloc(0), Buffer.alloc(64, 0xff), { keyEncoding: 'buffer' });
}
