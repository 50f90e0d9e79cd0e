/**
 * The audit trail: who did what, when, to which object — an append-only JSON-lines file
 * `<dataDir>/audit/audit.jsonl`, one entry a line, each chained to the one before by a hash:
 *
 *   {seq, time, actor, action, object, before_digest?, after_digest?, prev_hash, hash}
 *
 * `hash` is the SHA-256 (hex) of the entry's canonical JSON (keys sorted, `hash` left out), so
 * it covers `prev_hash`; the first entry's `prev_hash` is GENESIS_HASH. Editing, deleting,
 * inserting or reordering any line breaks the chain at that line, and `verifyAuditLog` names
 * the first broken entry; removing the newest lines leaves a shorter chain that still verifies
 * (compare the count or the last hash with a copy kept elsewhere). The log proves order and
 * integrity, not secrecy: it holds digests of the objects, never their contents.
 *
 * One writer per file (the Node-RED runtime): appends are synchronous, written with O_APPEND
 * and fsync'ed before `append` returns, so an acknowledged action is on disk and two appends of
 * one process never interleave. When the file changed size behind the writer's back (another
 * process appended), the tail is read again before the next entry; there is no lock, so two
 * processes appending at the very same moment can still fork the chain, which verify reports.
 * A line torn by a crash is reported by `verify` like any other broken line — the log cannot
 * tell a torn write from an edit — and the writer starts a new line after it, chaining from
 * the last readable entry.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

export const GENESIS_HASH = '0'.repeat(64);
export const AUDIT_FILE = 'audit.jsonl';

export interface AuditEntry {
  seq: number;
  /** ISO 8601, UTC. */
  time: string;
  /** The Node-RED user name, "anonymous", or who acted without a request: "scheduler", "runtime", "dashboard". */
  actor: string;
  /** What was done, "<object kind>.<verb>": workflow.import, chain.delete, trigger.fire, auth.login… */
  action: string;
  /** What it was done to, "<kind>:<id>" (e.g. "workflow:wf_invoice"). */
  object: string;
  /** SHA-256 of the object before and after, when the action changed one. */
  before_digest?: string;
  after_digest?: string;
  /** A few words more (a reason, a state change); never a secret. */
  detail?: string;
  prev_hash: string;
  hash: string;
}

export type AuditRecord = Pick<AuditEntry, 'actor' | 'action' | 'object'> & {
  before?: unknown;
  after?: unknown;
  detail?: string;
};

/** JSON with object keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The digest of an object as the audit log records it (undefined for "no object"). */
export function digestOf(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : sha256(canonicalJson(value));
}

export function entryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...rest } = entry;
  return sha256(canonicalJson(rest));
}

export function auditFile(dataDir: string): string {
  return path.join(dataDir, 'audit', AUDIT_FILE);
}

export interface BrokenEntry {
  /** 1-based line of the file. */
  line: number;
  /** The seq the line claims, or the one it should have when it has none. */
  seq: number;
  problem: string;
}

export interface Verification {
  file: string;
  /** Intact entries before the first broken one (all of them when intact). */
  entries: number;
  /** Bytes of those intact entries. */
  bytes: number;
  intact: boolean;
  broken?: BrokenEntry;
  /** The last intact entry, which an appender chains from. */
  last?: AuditEntry;
}

function parseLine(text: string): AuditEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON (a torn or edited line)';
  }
  const e = value as Partial<AuditEntry>;
  if (!e || typeof e !== 'object' || Array.isArray(e)) return 'not a JSON object';
  for (const k of ['seq', 'time', 'actor', 'action', 'object', 'prev_hash', 'hash'] as const)
    if (e[k] === undefined) return `the field "${k}" is missing`;
  if (!Number.isInteger(e.seq)) return 'seq is not a whole number';
  return e as AuditEntry;
}

/** The intact beginning of a log, where a later verification may carry on from. */
export interface VerifiedPrefix {
  /** Bytes of the intact lines, newlines included. */
  bytes: number;
  entries: number;
  last?: AuditEntry;
}

/**
 * Checks every line's hash and its link to the line before: the whole file, or only what
 * follows `from` (a prefix verified before, for a dashboard that looks every few seconds).
 */
export function verifyAuditLog(file: string, from: VerifiedPrefix = { bytes: 0, entries: 0 }): Verification {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - from.bytes));
      fs.readSync(fd, buf, 0, buf.length, from.bytes);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, entries: 0, bytes: 0, intact: true };
    throw err;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let { last, bytes, entries } = from;
  for (const line of lines) {
    const expectedSeq = (last?.seq ?? 0) + 1;
    const broken = (problem: string, seq = expectedSeq): Verification => ({
      file,
      entries,
      bytes,
      intact: false,
      broken: { line: entries + 1, seq, problem },
      last,
    });
    const parsed = parseLine(line);
    if (typeof parsed === 'string') return broken(parsed);
    if (parsed.seq !== expectedSeq)
      return broken(
        `seq is ${parsed.seq}, expected ${expectedSeq} (an entry was deleted, inserted or moved)`,
        parsed.seq,
      );
    const prev = last?.hash ?? GENESIS_HASH;
    if (parsed.prev_hash !== prev)
      return broken('prev_hash does not match the hash of the entry before (deleted, inserted or moved)', parsed.seq);
    if (entryHash(parsed) !== parsed.hash)
      return broken('its hash does not match its content (the entry was edited)', parsed.seq);
    last = parsed;
    entries++;
    bytes += Buffer.byteLength(line) + 1;
  }
  return { file, entries, bytes, intact: true, last };
}

/** A verification as it is shown (CLI --json, API, dashboard): without the chaining internals. */
export function verificationReport(v: Verification): Pick<Verification, 'file' | 'entries' | 'intact' | 'broken'> {
  return { file: v.file, entries: v.entries, intact: v.intact, ...(v.broken ? { broken: v.broken } : {}) };
}

/** The appending side: one per file and process. */
export class AuditLog {
  private last: { seq: number; hash: string } | undefined;
  /** The file's size after our last append: another size means someone else wrote, so the tail is read again. */
  private size = -1;
  private checked: { size: number; mtimeMs: number; fullAt: number; result: Verification } | undefined;

  constructor(
    readonly file: string,
    private readonly clock: { now(): number } = Date,
  ) {}

  static forDataDir(dataDir: string): AuditLog {
    return new AuditLog(auditFile(dataDir));
  }

  /** Appends one entry, on disk when this returns. Throws when it cannot be written. */
  append(record: AuditRecord): AuditEntry {
    if (this.last && this.fileSize() !== this.size) this.last = undefined;
    const tail = this.tail();
    const before = digestOf(record.before);
    const after = digestOf(record.after);
    const unhashed: Omit<AuditEntry, 'hash'> = {
      seq: tail.seq + 1,
      time: new Date(this.clock.now()).toISOString(),
      actor: record.actor || 'anonymous',
      action: record.action,
      object: record.object,
      ...(before ? { before_digest: before } : {}),
      ...(after ? { after_digest: after } : {}),
      ...(record.detail ? { detail: record.detail } : {}),
      prev_hash: tail.hash,
    };
    const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(entry) + '\n');
      fs.fsyncSync(fd);
      this.size = fs.fstatSync(fd).size;
    } finally {
      fs.closeSync(fd);
    }
    this.last = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  /** The newest entries, newest first, read from the end of the file. */
  recent(limit: number): AuditEntry[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const size = fs.fstatSync(fd).size;
      let start = size;
      let text = '';
      // Whole lines from the end, a chunk at a time, until `limit` entries (and one more line) are in.
      while (start > 0 && text.split('\n').length <= limit + 1) {
        const from = Math.max(0, start - 64 * 1024);
        const buf = Buffer.alloc(start - from);
        fs.readSync(fd, buf, 0, buf.length, from);
        text = buf.toString('utf8') + text;
        start = from;
      }
      const lines = text.split('\n');
      if (start > 0) lines.shift(); // the first piece may be the end of a longer line
      const out: AuditEntry[] = [];
      for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
        if (!lines[i]) continue;
        const parsed = parseLine(lines[i]);
        if (typeof parsed !== 'string') out.push(parsed);
      }
      return out;
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * The chain's state for a dashboard that asks every few seconds: the same answer while the
   * file is unchanged, only the appended lines read when it grew, everything again when it
   * shrank or changed without growing, and at least every `fullEveryMs`.
   * `rpa-vision audit verify` always reads everything.
   */
  check(fullEveryMs = 10 * 60_000): Verification {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(this.file);
    } catch {
      stat = undefined;
    }
    const now = this.clock.now();
    const c = this.checked;
    const fresh = c && now - c.fullAt < fullEveryMs;
    if (stat && c && fresh && c.size === stat.size && c.mtimeMs === stat.mtimeMs) return c.result;
    const grew = stat && c && fresh && c.result.intact && stat.size > c.size;
    const result = grew ? verifyAuditLog(this.file, c.result) : verifyAuditLog(this.file);
    this.checked = {
      size: stat?.size ?? 0,
      mtimeMs: stat?.mtimeMs ?? 0,
      fullAt: grew ? c.fullAt : now,
      result,
    };
    return result;
  }

  private fileSize(): number {
    try {
      return fs.statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  /** Where the next entry chains from: the last readable entry, read from the file once, then kept. */
  private tail(): { seq: number; hash: string } {
    if (this.last) return this.last;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const size = this.fileSize();
    // A line torn by a crash has no newline: the next entry must start on a line of its own.
    if (size > 0) {
      const fd = fs.openSync(this.file, 'r');
      const byte = Buffer.alloc(1);
      fs.readSync(fd, byte, 0, 1, size - 1);
      fs.closeSync(fd);
      if (byte[0] !== 0x0a) fs.appendFileSync(this.file, '\n');
    }
    const newest = this.recent(1)[0];
    this.size = this.fileSize();
    this.last = newest ? { seq: newest.seq, hash: newest.hash } : { seq: 0, hash: GENESIS_HASH };
    return this.last;
  }
}
