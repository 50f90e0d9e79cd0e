import type { Command } from './command';
import { doctor } from './doctor';

/** Every command of `rpa-vision`, in the order `--help` lists them. Add new ones here. */
export const commands: Command[] = [doctor];
