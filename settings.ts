/**
 * Node-RED settings for the product (`npm start` uses them). Everything a user may want to
 * change is an environment variable, so the same file serves a laptop, a server and Docker.
 */
import { isLoopbackHost } from './nodes/api/security';
import { DashboardGate, loginGuard } from './scripts/access';
import { LoginThrottle } from './scripts/login-throttle';
import { loadUsers } from './scripts/users';
import { nodeRedUserDir, resolveDataDir } from './lib/store/data-dir';

const userDir = nodeRedUserDir();

/** Closed by default: loopback only, and another interface only behind a login. */
const uiHost = process.env.RPA_VISION_HOST || '127.0.0.1';
const users = loadUsers();
if (!users.length && !isLoopbackHost(uiHost))
  throw new Error(
    `refusing to listen on ${uiHost} without a login: set NODE_RED_ADMIN_USER and NODE_RED_ADMIN_PASSWORD_HASH (or RPA_VISION_USERS_FILE), or unset RPA_VISION_HOST to listen on 127.0.0.1 only`,
  );
const throttle = new LoginThrottle();
const dashboardGate = new DashboardGate(users, throttle);

const settings = {
  uiPort: Number(process.env.PORT) || 1880,
  uiHost,
  userDir,
  flowFile: 'flows.json',
  flowFilePretty: true,
  credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET || false,
  /** Settings of our nodes; read by nodes/shared/runtime.ts. */
  rpaVision: {
    /** The embedded store, workflows, sessions and logs live here. */
    dataDir: resolveDataDir(),
    /**
     * Screenshots, sessions, workflows and execution reports are encrypted at rest with the key
     * of RPA_VISION_DATA_KEY, else `dataKey` here, else `<dataDir>/.data-key` created on first start.
     */
    createDataKey: true,
    /** nodes/api guards every route of the server, not only the package's. */
    security: { allRoutes: true },
  },
  httpAdminMiddleware: loginGuard(users, throttle),
  /** Dashboard 2.0: the same users log in to its pages and its socket. */
  dashboard: { middleware: dashboardGate.http, ioMiddleware: dashboardGate.socket },
  diagnostics: { enabled: false },
  runtimeState: { enabled: false },
  telemetry: { enabled: false },
  editorTheme: {
    projects: { enabled: false },
    tours: false,
    palette: {
      categories: ['RPA Vision', 'common', 'function', 'network', 'sequence', 'parser', 'storage', 'dashboard 2'],
    },
    page: { title: 'RPA Vision for Node-RED' },
    header: { title: 'RPA Vision' },
  },
  logging: { console: { level: process.env.NODE_RED_LOG_LEVEL || 'info', metrics: false, audit: false } },
  functionExternalModules: false,
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  // Admin authentication: NODE_RED_ADMIN_USER and NODE_RED_ADMIN_PASSWORD_HASH (bcrypt, from
  // `npx node-red admin hash-pw`) for one administrator, RPA_VISION_USERS_FILE for more users
  // with their permissions (see scripts/users.ts).
  adminAuth: users.length ? { type: 'credentials', users } : undefined,
};

export = settings;
