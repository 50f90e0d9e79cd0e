import type { Command } from './command';
import { doctor } from './doctor';
import { detect } from './detect';
import { locate } from './locate';
import { embed } from './embed';
import { record } from './record';
import { learn } from './learn';
import { flow } from './flow';
import { run } from './run';
import { audit } from './audit';
import { dataKey } from './data-key';
import { robot } from './robot';

/** Every command of `rpa-vision`, in the order `--help` lists them. Add new ones here. */
export const commands: Command[] = [doctor, detect, locate, embed, record, learn, flow, run, robot, audit, dataKey];
