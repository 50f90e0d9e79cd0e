/**
 * One file trigger's folder, watched by chokidar (inotify, FSEvents or ReadDirectoryChangesW;
 * stat polling on request, for network shares whose changes the OS does not report). Reports
 * each matching file once, when it is completely written, and never a name it already handed
 * over (the names come from the trigger's stored markers, so this holds across restarts) until
 * that file has left the folder.
 */
import { watch, type FSWatcher } from 'chokidar';
import fs, { type Stats } from 'fs';
import path from 'path';
import { fileNameMatcher } from './file-pattern';

export interface FolderWatchOptions {
  /** Absolute path of the folder (its subfolders are not watched). */
  directory: string;
  pattern: string;
  usePolling: boolean;
  /** How long a file's size must stay the same before it counts as completely written (ms). */
  stableMs: number;
}

export interface FolderWatchHandlers {
  /** The names already handed over (read once, before watching starts). */
  known(): Promise<Iterable<string>>;
  /** A new, completely written file; called one at a time. False: not taken, may be reported again. */
  onFile(fileName: string, stats: Stats): Promise<boolean>;
  /** Names handed over earlier that are no longer in the folder. */
  onGone(fileNames: string[]): Promise<void>;
  onError(message: string): void;
}

/** A network share's changes are looked for once a second, the pace of the checks chokidar replaced. */
const POLLING_INTERVAL_MS = 1000;
/** How often a growing file's size is looked at while waiting for it to settle. */
const WRITE_POLL_MS = 100;

export class FolderWatch {
  /** Resolves once the folder's first listing is dealt with (or the watch is closed). */
  readonly ready: Promise<void>;
  private watcher?: FSWatcher;
  private closed = false;
  private scanned = false;
  private handedOver = new Set<string>();
  private listedAtStart = new Set<string>();
  private settling = new Map<string, NodeJS.Timeout>();
  private work: Promise<void> = Promise.resolve();
  private markReady!: () => void;

  constructor(
    private readonly options: FolderWatchOptions,
    private readonly handlers: FolderWatchHandlers,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.queue(() =>
      this.start().catch((err) => {
        this.markReady();
        throw err;
      }),
    );
  }

  /** Stops watching and waits for the file being handed over, if any; nothing is reported after. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
    await this.watcher?.close();
    await this.work;
    this.markReady();
  }

  private async start(): Promise<void> {
    this.handedOver = new Set(await this.handlers.known());
    if (!this.closed) this.open();
  }

  private open(): void {
    this.scanned = false;
    this.listedAtStart.clear();
    const { directory, usePolling, stableMs } = this.options;
    const matches = fileNameMatcher(this.options.pattern);
    fs.promises.stat(directory).then(
      (st) => !st.isDirectory() && this.handlers.onError(`${directory} is not a folder`),
      (err: NodeJS.ErrnoException) =>
        this.handlers.onError(
          `watched folder ${directory} is not readable (${err.code ?? err.message}); watching for it to appear`,
        ),
    );
    this.watcher = watch(directory, {
      depth: 0,
      ignoreInitial: false,
      // Like the scheduler's timers: a watch never keeps the process alive on its own.
      persistent: false,
      alwaysStat: true,
      // A file removed and dropped again under the same name is a new file, however quickly.
      atomic: false,
      awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: WRITE_POLL_MS },
      ...(usePolling
        ? {
            backend: 'polling' as const,
            pollingInterval: POLLING_INTERVAL_MS,
            pollingBinaryInterval: POLLING_INTERVAL_MS,
          }
        : {}),
      ignored: (p: string, stats?: Stats) => {
        if (p === directory) return false;
        if (path.dirname(p) !== directory || (stats && !stats.isFile())) return true;
        return !matches(path.basename(p));
      },
    });
    this.watcher.on('add', (p, stats) => this.added(path.basename(p), stats));
    this.watcher.on('unlink', (p) => this.removed(path.basename(p)));
    // A folder that went away (a share dropping out) is watched again when it is back, but chokidar
    // does not list what it holds then: a new watch does, for the files that came meanwhile.
    this.watcher.on('addDir', (p) => {
      if (p === directory && this.scanned) this.queue(() => this.reopen());
    });
    this.watcher.on('ready', () => this.queue(() => this.firstListingDone()));
    this.watcher.on('error', (err) => this.handlers.onError(`watching ${directory} failed: ${(err as Error).message}`));
  }

  private async reopen(): Promise<void> {
    const previous = this.watcher;
    this.watcher = undefined;
    await previous?.close();
    if (!this.closed) this.open();
  }

  /**
   * chokidar holds `add` until the size settles, except for files found by its first listing:
   * those are taken at once when they were last written long enough ago, otherwise once two
   * looks `stableMs` apart see the same size and modification time (a copy under way at start).
   */
  private added(name: string, stats: Stats | undefined): void {
    if (this.scanned) {
      this.queue(() => this.handOver(name, stats));
      return;
    }
    this.listedAtStart.add(name);
    if (this.handedOver.has(name)) return;
    if (stats && Date.now() - stats.mtimeMs >= this.options.stableMs) this.queue(() => this.handOver(name, stats));
    else this.settle(name, stats);
  }

  private settle(name: string, seen: Stats | undefined): void {
    const look = async (): Promise<void> => {
      this.settling.delete(name);
      const now = await fs.promises.stat(path.join(this.options.directory, name)).catch(() => undefined);
      if (this.closed || !now) return;
      if (seen && now.size === seen.size && now.mtimeMs === seen.mtimeMs) this.queue(() => this.handOver(name, now));
      else this.settle(name, now);
    };
    // look() cannot reject: a failed stat is a file gone.
    const timer = setTimeout(() => void look(), this.options.stableMs);
    timer.unref();
    this.settling.set(name, timer);
  }

  private removed(name: string): void {
    clearTimeout(this.settling.get(name));
    this.settling.delete(name);
    this.queue(async () => {
      // A share that dropped out reports its files as removed: they are not new when it comes back.
      if (this.handedOver.has(name) && (await this.folderIsThere())) {
        this.handedOver.delete(name);
        await this.handlers.onGone([name]);
      }
    });
  }

  private async firstListingDone(): Promise<void> {
    this.scanned = true;
    const gone = (await this.folderIsThere())
      ? [...this.handedOver].filter((name) => !this.listedAtStart.has(name))
      : [];
    this.listedAtStart.clear();
    for (const name of gone) this.handedOver.delete(name);
    if (gone.length) await this.handlers.onGone(gone);
    this.markReady();
  }

  private async handOver(name: string, stats: Stats | undefined): Promise<void> {
    if (this.closed || this.handedOver.has(name)) return;
    const st = stats ?? (await fs.promises.stat(path.join(this.options.directory, name)).catch(() => undefined));
    if (!st) return; // gone again before it could be handed over
    this.handedOver.add(name);
    if (!(await this.handlers.onFile(name, st))) this.handedOver.delete(name);
  }

  private folderIsThere(): Promise<boolean> {
    return fs.promises.stat(this.options.directory).then(
      (st) => st.isDirectory(),
      () => false,
    );
  }

  /** One thing at a time, so a file is marked before the next event about it is looked at. */
  private queue(task: () => Promise<void>): void {
    this.work = this.work.then(async () => {
      if (this.closed) return;
      try {
        await task();
      } catch (err) {
        this.handlers.onError(`${this.options.directory}: ${(err as Error).message}`);
      }
    });
  }
}
