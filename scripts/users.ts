/**
 * The accounts of the product's login (Node-RED adminAuth): the administrator of
 * NODE_RED_ADMIN_USER / NODE_RED_ADMIN_PASSWORD_HASH, plus the users of the JSON file named by
 * RPA_VISION_USERS_FILE: `[{"username", "password": "<bcrypt hash>", "permissions": "read" | [...]}]`.
 * A bad file stops the start with a sentence saying what to fix.
 */
import fs from 'fs';
import { createRequire } from 'module';

export interface User {
  username: string;
  /** bcrypt hash, as `npx node-red admin hash-pw` prints it */
  password: string;
  permissions: string | string[];
}

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

function checkUser(u: unknown, where: string): User {
  const user = u as Partial<User> | null;
  if (!user || typeof user !== 'object')
    throw new Error(`${where} must be an object {username, password, permissions}`);
  if (typeof user.username !== 'string' || !user.username.trim()) throw new Error(`${where}: username is missing`);
  if (typeof user.password !== 'string' || !BCRYPT.test(user.password))
    throw new Error(`${where} (${user.username}): password must be a bcrypt hash (npx node-red admin hash-pw)`);
  const perms = user.permissions;
  const valid =
    (typeof perms === 'string' && perms !== '') ||
    (Array.isArray(perms) && perms.length > 0 && perms.every((p) => typeof p === 'string' && p !== ''));
  if (!valid)
    throw new Error(
      `${where} (${user.username}): permissions must be "*", "read" or a list such as ["read", "rpa.run"]`,
    );
  return { username: user.username, password: user.password, permissions: perms as string | string[] };
}

/** Every configured user; an empty list means no login (and listening on loopback only). */
export function loadUsers(env: NodeJS.ProcessEnv = process.env): User[] {
  const users: User[] = [];
  if (env.NODE_RED_ADMIN_USER || env.NODE_RED_ADMIN_PASSWORD_HASH)
    users.push(
      checkUser(
        { username: env.NODE_RED_ADMIN_USER, password: env.NODE_RED_ADMIN_PASSWORD_HASH, permissions: '*' },
        'NODE_RED_ADMIN_USER / NODE_RED_ADMIN_PASSWORD_HASH',
      ),
    );
  const file = env.RPA_VISION_USERS_FILE;
  if (file) {
    let list: unknown;
    try {
      list = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`RPA_VISION_USERS_FILE ${file} cannot be read as JSON (${(err as Error).message})`, {
        cause: err,
      });
    }
    if (!Array.isArray(list) || !list.length)
      throw new Error(`RPA_VISION_USERS_FILE ${file} must hold a non-empty JSON array of users`);
    list.forEach((u, i) => users.push(checkUser(u, `RPA_VISION_USERS_FILE ${file}, user ${i + 1}`)));
  }
  const seen = new Set<string>();
  for (const u of users) {
    if (seen.has(u.username)) throw new Error(`user "${u.username}" is defined twice`);
    seen.add(u.username);
  }
  return users;
}

// Node-RED's own implementations, through the package that depends on them.
const fromNodeRed = createRequire(require.resolve('node-red/package.json'));

/**
 * Whether a user's permissions grant one permission, by Node-RED's rules: "*" grants all,
 * "read" every "….read", "write" every "….write", a list what one of its items grants.
 */
export const hasPermission = (
  fromNodeRed('@node-red/editor-api/lib/auth/permissions') as {
    hasPermission(granted: string | string[], permission: string): boolean;
  }
).hasPermission;

// The bcrypt implementation Node-RED itself uses for its basic-auth settings.
const bcrypt = fromNodeRed('bcryptjs') as {
  compare(password: string, hash: string): Promise<boolean>;
};

/** The user whose name and password these are, or undefined. */
export async function authenticate(
  users: readonly User[],
  username: string,
  password: string,
): Promise<User | undefined> {
  const user = users.find((u) => u.username === username);
  if (!user) return undefined;
  return (await bcrypt.compare(password, user.password)) ? user : undefined;
}
