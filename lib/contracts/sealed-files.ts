/**
 * Encryption at rest of the product's data files (screenshots, sessions, workflows with their
 * anchor images, execution reports): AES-256-GCM behind a recognisable header
 *
 *   "RPAVSEAL" (8 bytes) · version (1 byte) · IV (12 bytes) · tag (16 bytes) · ciphertext
 *
 * Reading passes a file without the header through unchanged, so files written before a key was
 * configured keep working. One data key serves the whole process (`useDataKey`), because the
 * writers (recorder, runner, snapshot) sit far below the runtime or CLI that knows where it lives.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

const MAGIC = Buffer.from('RPAVSEAL', 'ascii');
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SEALED_HEADER_BYTES = MAGIC.length + 1 + IV_BYTES + TAG_BYTES;
const KEY_BYTES = 32;

export const DATA_KEY_ENV = 'RPA_VISION_DATA_KEY';
export const DATA_KEY_FILE = '.data-key';

export class SealedFileError extends Error {
  override name = 'SealedFileError';
}

/**
 * A write refused because the configured data key could not be loaded. `publicMessage` leaves
 * out the key file's path (for HTTP clients); the runtime's log has the full sentence.
 */
export class DataKeyMissingError extends SealedFileError {
  override name = 'DataKeyUnavailable';
  readonly status = 503;
  readonly publicMessage = `not written: the data key could not be loaded (see the server's log); restore the key file from your copy, or set ${DATA_KEY_ENV}, then restart`;
  constructor(reason: string) {
    super(
      `not written, the data key could not be loaded (${reason}); restore the key file from your copy, or set ${DATA_KEY_ENV}, then restart`,
    );
  }
}

export function isSealed(data: Buffer): boolean {
  return data.length >= SEALED_HEADER_BYTES && data.subarray(0, MAGIC.length).equals(MAGIC);
}

export function seal(plain: Buffer, key: Buffer): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', checkKey(key), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** The plain bytes of `data`: opened when sealed, unchanged when not. `source` names it in errors. */
export function open(data: Buffer, key: Buffer | null, source = 'a sealed file'): Buffer {
  if (!isSealed(data)) return data;
  const version = data[MAGIC.length];
  if (version !== VERSION)
    throw new SealedFileError(`${source} is sealed with format version ${version}, this version reads ${VERSION}`);
  if (!key)
    throw new SealedFileError(
      `${source} is encrypted and no data key is configured: set ${DATA_KEY_ENV} or keep the data directory's ${DATA_KEY_FILE}`,
    );
  let at = MAGIC.length + 1;
  const iv = data.subarray(at, (at += IV_BYTES));
  const tag = data.subarray(at, (at += TAG_BYTES));
  const decipher = crypto.createDecipheriv('aes-256-gcm', checkKey(key), iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data.subarray(at)), decipher.final()]);
  } catch {
    throw new SealedFileError(
      `${source} cannot be decrypted: the data key is not the one it was sealed with, or the file was altered`,
    );
  }
}

/** A 32-byte key written as base64 or hex (64 hex digits). */
export function parseDataKey(text: string, source: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t)
    ? Buffer.from(t, 'hex')
    : /^[A-Za-z0-9+/]{43}=?$/.test(t)
      ? Buffer.from(t, 'base64')
      : null;
  if (!key || key.length !== KEY_BYTES)
    throw new SealedFileError(
      `${source} is not a data key: it must be 32 bytes written as base64 (44 characters) or hex (64 digits), e.g. from "openssl rand -base64 32"`,
    );
  return key;
}

function checkKey(key: Buffer): Buffer {
  if (key.length !== KEY_BYTES) throw new SealedFileError(`a data key has ${KEY_BYTES} bytes, not ${key.length}`);
  return key;
}

/**
 * The data key: `RPA_VISION_DATA_KEY`, else `configured` (settings' rpaVision.dataKey), else
 * `<dataDir>/.data-key`. With `create`, a missing key file is created (0600, in a 0700
 * folder); without it, no key means null: files are then written plain.
 */
export function loadDataKey(dataDir: string, options: { create?: boolean; configured?: string } = {}): Buffer | null {
  const fromEnv = process.env[DATA_KEY_ENV];
  if (fromEnv) return parseDataKey(fromEnv, DATA_KEY_ENV);
  if (options.configured) return parseDataKey(options.configured, 'rpaVision.dataKey in the settings');
  const file = path.join(dataDir, DATA_KEY_FILE);
  if (fs.existsSync(file)) return parseDataKey(fs.readFileSync(file, 'utf8'), file);
  if (!options.create) return null;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The folder may exist already (the store opened first): it holds the key, so owner-only.
  fs.chmodSync(dataDir, 0o700);
  const key = crypto.randomBytes(KEY_BYTES);
  try {
    fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process created it first: use that one.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return parseDataKey(fs.readFileSync(file, 'utf8'), file);
    throw err;
  }
  return key;
}

let activeKey: Buffer | null = null;
/** Why no data may be written: the key is configured but could not be loaded. */
let keyFailure: string | null = null;

/** Sets the key the data-file writers seal with and the readers open with (null: write plain). */
export function useDataKey(key: Buffer | null): void {
  activeKey = key ? checkKey(key) : null;
  keyFailure = null;
}

/**
 * The configured key could not be loaded (unreadable or corrupt key file, bad variable): from
 * now on every data write fails with a sentence saying what to fix, rather than writing in
 * clear what the operator expects to be sealed. Plain files stay readable.
 */
export function refuseDataWrites(reason: Error): void {
  activeKey = null;
  keyFailure = reason.message;
}

/** The key set by `useDataKey`, for a child process that writes data files too. */
export function dataKeyInUse(): Buffer | null {
  return activeKey;
}

/** `data` as it goes to disk: sealed when a data key is in use. */
export function sealForDisk(data: Buffer): Buffer {
  if (keyFailure !== null) throw new DataKeyMissingError(keyFailure);
  return activeKey ? seal(data, activeKey) : data;
}

/**
 * One line of a JSON-lines file as it goes to disk: the JSON itself, or with a data key in use
 * the base64 of the sealed JSON (a line of base64 never starts with "{", so both kinds mix).
 */
export function sealLine(json: string): string {
  const data = Buffer.from(json, 'utf8');
  const out = sealForDisk(data);
  return out === data ? json : out.toString('base64');
}

/** The JSON of a line written by `sealLine` (plain or sealed). */
export function openLine(line: string, source: string): string {
  const t = line.trim();
  if (!t || t.startsWith('{') || t.startsWith('[')) return line;
  const data = Buffer.from(t, 'base64');
  return isSealed(data) ? openData(data, source).toString('utf8') : line;
}

/** The plain bytes of data read from `source`, opened with the data key in use. */
export function openData(data: Buffer, source: string): Buffer {
  return open(data, activeKey, source);
}

/** Reads a data file written by `writeDataFile` (or a plain one) and returns its plain bytes. */
export function readDataFile(file: string): Buffer {
  return openData(fs.readFileSync(file), file);
}

export async function readDataFileAsync(file: string): Promise<Buffer> {
  return openData(await fs.promises.readFile(file), file);
}

/** Writes a data file owner-only (0600), sealed when a data key is in use. */
export async function writeDataFile(file: string, data: Buffer): Promise<void> {
  await fs.promises.writeFile(file, sealForDisk(data), { mode: 0o600 });
}

export function writeDataFileSync(file: string, data: Buffer): void {
  fs.writeFileSync(file, sealForDisk(data), { mode: 0o600 });
}

/** Creates a data folder (and its missing parents) owner-only (0700). */
export function makeDataDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}
