export * from './raw-session';
export * from './screen-state';
export * from './workflow';
export * from './validate';
export * from './files';
export * from './secrets';
