/** ScreenState building and change detection, from a vision analysis and its state embedding. */
export * from './screen-state-builder';
