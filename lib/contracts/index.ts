export * from './raw-session';
export * from './screen-state';
export * from './workflow';
export * from './validate';
export * from './files';
export * from './automation-requests';
export * from './storage-fault';
export * from './safe-pattern';
