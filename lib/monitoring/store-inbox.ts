/**
 * The store is a LevelDB database: one process at a time holds it. A second process with the
 * same data directory (`rpa-vision run` while Node-RED runs) cannot open it; its writes go to
 * the store's inbox instead — one sealed file per write under `<dataDir>/store-inbox/` — and
 * the process holding the store moves them in every few seconds (monitoring does it), so a CLI
 * run reaches the dashboard of the running Node-RED.
 */
import fs from 'fs';
import path from 'path';
import { randomBytes } from 'crypto';
import { openData, sealForDisk } from '../contracts/sealed-files';
import { openStore, StoreLockedError, type Store, type SubStore } from '../store/store';
import { inboxDir, pendingInbox } from '../store/data-dir';

type InboxOp = { sub: string; type: 'put'; key: string; value: unknown } | { sub: string; type: 'del'; key: string };

/** Writes the operations as one inbox file, whole or not at all (written aside, then renamed). */
function post(dataDir: string, ops: InboxOp[]): void {
  if (!ops.length) return;
  const dir = inboxDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `${Date.now()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const part = path.join(dir, `${name}.part`);
  fs.writeFileSync(part, sealForDisk(Buffer.from(JSON.stringify(ops))), { mode: 0o600 });
  fs.renameSync(part, path.join(dir, `${name}.json`));
}

/** A store that only writes, through the inbox; it reads back what this process wrote. */
export class InboxStore implements Store {
  private readonly written = new Map<string, Map<string, unknown>>();
  constructor(
    readonly location: string,
    private readonly dataDir: string,
  ) {}

  sub<V = unknown>(name: string): SubStore<V> {
    const mine = this.written.get(name) ?? new Map<string, unknown>();
    this.written.set(name, mine);
    const apply = (ops: InboxOp[]) => {
      post(this.dataDir, ops);
      for (const op of ops) {
        if (op.type === 'put') mine.set(op.key, op.value);
        else mine.delete(op.key);
      }
    };
    const entries = async (o: { gte?: string; lte?: string; limit?: number; reverse?: boolean } = {}) => {
      const list = [...mine]
        .filter(([k]) => (o.gte === undefined || k >= o.gte) && (o.lte === undefined || k <= o.lte))
        .sort(([a], [b]) => (a < b ? -1 : 1));
      if (o.reverse) list.reverse();
      return list.slice(0, o.limit && o.limit > 0 ? o.limit : undefined) as Array<[string, V]>;
    };
    return {
      name,
      get: async (key) => mine.get(key) as V | undefined,
      put: async (key, value) => apply([{ sub: name, type: 'put', key, value }]),
      del: async (key) => apply([{ sub: name, type: 'del', key }]),
      batch: async (ops) =>
        apply(
          ops.map((op) =>
            op.type === 'put'
              ? { sub: name, type: 'put' as const, key: op.key, value: op.value }
              : { sub: name, type: 'del' as const, key: op.key },
          ),
        ),
      entries,
      values: async (o) => (await entries(o)).map(([, v]) => v),
      clear: async () => apply([...mine.keys()].map((key) => ({ sub: name, type: 'del' as const, key }))),
    };
  }

  async close(): Promise<void> {}
}

/**
 * How a process that is not alone opens the store: the store itself when it is free, else the
 * inbox (and `onLocked` is told once why, so the user reads it).
 */
export function storeOrInbox(dataDir: string, onLocked: (message: string) => void): () => Promise<Store> {
  let inbox: InboxStore | null = null;
  return async () => {
    if (inbox) return inbox;
    try {
      return await openStore(dataDir);
    } catch (err) {
      if (!(err instanceof StoreLockedError)) throw err;
      inbox = new InboxStore(err.location, dataDir);
      const who = err.holder ? ` (process ${err.holder.pid}, ${err.holder.command})` : '';
      onLocked(`the store ${err.location} is in use by another process${who}`);
      return inbox;
    }
  };
}

/**
 * Moves the inbox into the store, file by file (each file one atomic batch, then removed); a
 * file that cannot be read is set aside as `.bad` with the reason, never retried in a loop.
 */
export async function importInbox(store: Store, dataDir: string): Promise<{ files: number; operations: number }> {
  let files = 0;
  let operations = 0;
  for (const file of pendingInbox(dataDir)) {
    let ops: InboxOp[];
    try {
      ops = JSON.parse(openData(fs.readFileSync(file), file).toString('utf8')) as InboxOp[];
      if (!Array.isArray(ops)) throw new Error('not a list of operations');
    } catch (err) {
      fs.renameSync(file, `${file}.bad`);
      fs.writeFileSync(`${file}.bad.txt`, `${(err as Error).message}\n`);
      continue;
    }
    const bySub = new Map<string, InboxOp[]>();
    for (const op of ops) bySub.set(op.sub, [...(bySub.get(op.sub) ?? []), op]);
    for (const [sub, list] of bySub)
      await store
        .sub(sub)
        .batch(
          list.map((op) =>
            op.type === 'put'
              ? { type: 'put' as const, key: op.key, value: op.value }
              : { type: 'del' as const, key: op.key },
          ),
        );
    fs.rmSync(file, { force: true });
    files++;
    operations += ops.length;
  }
  return { files, operations };
}
