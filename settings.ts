/**
 * Node-RED settings for the product (`npm start` uses them). Everything a user may want to
 * change is an environment variable, so the same file serves a laptop, a server and Docker.
 */
import path from 'path';

const userDir = path.resolve(process.env.NODE_RED_USER_DIR || path.join(__dirname, '..', '.userdir'));

const settings = {
  uiPort: Number(process.env.PORT) || 1880,
  uiHost: process.env.HOST || undefined,
  userDir,
  flowFile: 'flows.json',
  flowFilePretty: true,
  credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET || false,
  /** Settings of our nodes; read by nodes/shared/runtime.ts. */
  rpaVision: {
    /** The embedded store, workflows, sessions and logs live here. */
    dataDir: path.resolve(process.env.RPA_VISION_DATA_DIR || path.join(userDir, 'rpa-vision-data')),
  },
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
  // Admin authentication: set NODE_RED_ADMIN_USER and NODE_RED_ADMIN_PASSWORD_HASH (bcrypt, from
  // `npx node-red admin hash-pw`) to protect the editor and the /api endpoints.
  adminAuth:
    process.env.NODE_RED_ADMIN_USER && process.env.NODE_RED_ADMIN_PASSWORD_HASH
      ? {
          type: 'credentials',
          users: [
            {
              username: process.env.NODE_RED_ADMIN_USER,
              password: process.env.NODE_RED_ADMIN_PASSWORD_HASH,
              permissions: '*',
            },
          ],
        }
      : undefined,
};

export = settings;
