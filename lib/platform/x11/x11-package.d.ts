/** The x11 package ships no types: x11-window-query.ts states the part it uses. */
declare module 'x11' {
  export function createClient(
    options: { display?: string },
    callback: (err: unknown, display: unknown) => void,
  ): {
    on(event: string, listener: (err: unknown) => void): void;
  };
}
