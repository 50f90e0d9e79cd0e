import crypto from 'crypto';
import path from 'path';
import { UsageError } from '../../lib/cli/args';
import { dataKeyInUse, DATA_KEY_ENV, DATA_KEY_FILE } from '../../lib/contracts/sealed-files';
import { resealTree, writeKeyFile } from '../../lib/contracts/reseal';
import { resealStore, resolveDataDir } from '../../lib/store/store';
import type { Command } from './command';

/** `data-key rotate [DIR...]`: a new data key, and every sealed file re-sealed with it. */
export const dataKey: Command = {
  name: 'data-key',
  summary: 'Rotate the key that encrypts the data files at rest (stop Node-RED first)',
  usage: 'data-key rotate [--data-dir DIR] [EXTRA_DIR...]',
  flags: {
    'data-dir': {
      type: 'string',
      value: 'DIR',
      description: 'data directory holding .data-key (default: the one Node-RED uses; see README)',
    },
  },
  async run(args) {
    const [action, ...extra] = args.positional;
    if (action !== 'rotate') throw new UsageError(`the only action is "rotate" (got ${action ?? 'none'})`);
    const oldKey = dataKeyInUse();
    if (!oldKey) throw new Error(`no data key is configured (${DATA_KEY_ENV} or the data directory's .data-key)`);
    const dataDir = resolveDataDir(args.flags['data-dir'] as string | undefined);
    const newKey = crypto.randomBytes(32);
    const dirs = [dataDir, ...extra.map((d) => path.resolve(d))];
    // Both keys are on disk before the first file changes: files an interrupted rotation left
    // under the old key still open with .data-key.old (delete it once everything reads).
    const oldKeyFile = writeKeyFile(dataDir, oldKey, `${DATA_KEY_FILE}.old`);
    const keyFile = writeKeyFile(dataDir, newKey);
    const { resealed, unreadable } = resealTree(dirs, oldKey, newKey);
    const store = await resealStore(dataDir, oldKey, newKey);
    process.stdout.write(
      `data-key: ${resealed} files and ${store.resealed} store entries re-sealed in ${dirs.join(', ')}; new key in ${keyFile}, old key kept in ${oldKeyFile}\n`,
    );
    for (const file of unreadable)
      process.stderr.write(`data-key: not re-sealed (the old key does not open it): ${file}\n`);
    for (const key of store.unreadable)
      process.stderr.write(`data-key: store entry not re-sealed (the old key does not open it): ${key}\n`);
    if (process.env[DATA_KEY_ENV])
      process.stderr.write(
        `data-key: set ${DATA_KEY_ENV} to the content of ${keyFile} (or unset it) before the next start\n`,
      );
    return unreadable.length || store.unreadable.length ? 1 : 0;
  },
};
