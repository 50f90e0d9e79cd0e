/**
 * Prepares a Node-RED user directory for this package: links the package into its
 * node_modules (as `npm install <folder>` would) and writes the default flows from flows/
 * when the directory has none. Shared by `npm start` and the runtime smoke test.
 */
import fs from 'fs';
import path from 'path';

export interface PrepareOptions {
  root: string;
  userDir: string;
  resetFlows?: boolean;
}

/** All flows of flows/*.json as one flow file (each file holds an array of nodes). */
export function defaultFlows(root: string): unknown[] {
  const dir = path.join(root, 'flows');
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  return files.flatMap((f) => {
    const nodes = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown;
    if (!Array.isArray(nodes)) throw new Error(`flows/${f} must hold a JSON array of Node-RED nodes`);
    return nodes;
  });
}

export function prepareUserDir({ root, userDir, resetFlows }: PrepareOptions): { deployed: boolean } {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string };
  const modules = path.join(userDir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  const link = path.join(modules, pkg.name);
  const current = fs.existsSync(link) || isLink(link) ? fs.readlinkSync(link, { encoding: 'utf8' }) : undefined;
  if (current !== root) {
    if (current !== undefined) fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(root, link, 'dir');
  }
  // Node-RED lists the modules of the user dir's package.json in the palette manager.
  const userPkg = path.join(userDir, 'package.json');
  if (!fs.existsSync(userPkg)) {
    fs.writeFileSync(
      userPkg,
      JSON.stringify(
        { name: 'rpa-vision-userdir', private: true, dependencies: { [pkg.name]: `file:${root}` } },
        null,
        2,
      ),
    );
  }
  const flowFile = path.join(userDir, 'flows.json');
  if (resetFlows || !fs.existsSync(flowFile)) {
    fs.writeFileSync(flowFile, JSON.stringify(defaultFlows(root), null, 2));
    return { deployed: true };
  }
  return { deployed: false };
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
