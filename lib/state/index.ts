/** ScreenState building, change detection and the fused state embedding. */
export * from './screen-state-builder';
export * from './state-embedding';
export * from './modal-panel';
