/**
 * `npm run corpus -- NAME [--force]`: renders a corpus of the grounding benchmark with its ground
 * truth, from packages installed here only. Each corpus lives in bench/corpus/<name>/.
 */
import { manifestPath } from '../screens/generate';
import type { SetManifest } from '../screens/types';
import { generateWebCorpus } from './web/generate';

const CORPORA: Record<string, (options: { force: boolean; log: (l: string) => void }) => Promise<SetManifest>> = {
  web: generateWebCorpus,
};

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in CORPORA));
  if (names.length === 0 || unknown.length > 0) {
    process.stderr.write(
      `usage: npm run corpus -- NAME... [--force]   (corpora: ${Object.keys(CORPORA).join(', ')})\n`,
    );
    return 2;
  }
  for (const name of names) {
    const manifest = await CORPORA[name]({
      force: argv.includes('--force'),
      log: (l) => process.stderr.write(`${l}\n`),
    });
    process.stdout.write(`${manifest.screens.length} screens: ${manifestPath(manifest.set)}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`corpus: ${e.message}\n`);
    process.exit(1);
  },
);
