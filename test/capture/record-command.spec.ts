/**
 * `rpa-vision record` as a user runs it: a real process on its own Xvfb display, stopped by a
 * signal, by its time limit, or by the display going away; and the clear errors when it cannot
 * record at all.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { spawn } from 'child_process';
import { VirtualDesktop } from '../helpers/desktop';
import { validateRawSession } from '../../lib/contracts/validate';
import type { RawSession } from '../../lib/contracts/raw-session';
import { click, sleep, tempDir } from './helpers';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');

interface Run {
  pid: number;
  stop(signal: NodeJS.Signals): void;
  /** Resolves once the recorder says it is listening. */
  listening: Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function record(args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [CLI, 'record', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onListening: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (onListening = resolve));
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (/press Ctrl\+C to stop/.test(stderr)) onListening();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return {
    pid: child.pid!,
    stop: (signal) => child.kill(signal),
    listening: Promise.race([listening, done.then(() => undefined)]),
    done,
  };
}

/** Process ids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function readSession(dir: string): RawSession {
  return validateRawSession(JSON.parse(fs.readFileSync(path.join(dir, 'session.json'), 'utf8')), 'session.json');
}

describe('rpa-vision record', function () {
  this.timeout(60_000);

  describe('on a display', () => {
    let vd: VirtualDesktop;
    before(async () => {
      vd = await VirtualDesktop.start();
      vd.launch('xmessage', [
        '-name',
        'target',
        '-geometry',
        '500x200+200+200',
        '-title',
        'Record target',
        'record me',
      ]);
      await vd.activate(await vd.waitForWindow('^Record target$'));
    });
    after(async () => {
      await vd?.stop();
    });

    it('stops cleanly on SIGTERM mid-recording and writes a valid session with what was done', async () => {
      const dir = tempDir('rpa-cli-term-');
      const run = record(['--out', dir, '--json'], vd.env);
      await run.listening;
      await click(vd, 300, 250);
      await vd.type('abc');
      await sleep(400);
      run.stop('SIGTERM');
      const { code, stdout, stderr } = await run.done;
      assert.strictEqual(code, 0, stderr);
      const summary = JSON.parse(stdout);
      assert.strictEqual(summary.end_reason, 'signal SIGTERM');
      const session = readSession(dir);
      assert.strictEqual(session.end_reason, 'signal SIGTERM');
      assert.ok(session.ended_at, 'the session has its end time');
      assert.deepStrictEqual(
        session.events.filter((e) => e.type !== 'mouse_move').map((e) => [e.type, e.text ?? e.pos, e.window?.title]),
        [
          ['mouse_click', [300, 250], 'Record target'],
          ['text_input', 'abc', 'Record target'],
        ],
      );
      assert.strictEqual(summary.events, session.events.length);
    });

    it('leaves the session as of its last checkpoint when killed outright, and its agent does not outlive it', async () => {
      const dir = tempDir('rpa-cli-kill-');
      const run = record(['--out', dir], vd.env);
      await run.listening;
      const agentPid = childrenOf(run.pid)[0];
      assert.ok(agentPid, 'the recording agent runs as a child process');
      await click(vd, 310, 255);
      await sleep(4000); // one checkpoint (every 3 s)
      run.stop('SIGKILL');
      await run.done;
      const session = readSession(dir);
      assert.strictEqual(session.ended_at, null);
      assert.strictEqual(session.end_reason, 'recording');
      assert.ok(session.events.some((e) => e.type === 'mouse_click'));
      await vd.waitFor(() => !fs.existsSync(`/proc/${agentPid}`), 10_000, 'the orphaned agent to stop');
    });

    it('stops by itself after --duration seconds', async () => {
      const dir = tempDir('rpa-cli-duration-');
      const started = Date.now();
      const { code, stderr } = await record(['--out', dir, '--duration', '1.5'], vd.env).done;
      assert.strictEqual(code, 0, stderr);
      assert.match(stderr, /recorded \d+ events and \d+ screenshots in .* \(duration\)/);
      assert.strictEqual(readSession(dir).end_reason, 'duration');
      assert.ok(Date.now() - started < 15_000);
    });

    it('stops with a clear error, keeping the session, when screenshots can no longer be written', async () => {
      const dir = tempDir('rpa-cli-unwritable-');
      const run = record(['--out', dir], vd.env);
      await run.listening;
      // The disk goes bad under the recorder: its screenshot folder is now a file.
      fs.rmSync(path.join(dir, 'shots'), { recursive: true, force: true });
      fs.writeFileSync(path.join(dir, 'shots'), 'in the way');
      await click(vd, 320, 260);
      const { code, stderr } = await run.done; // the recorder stops by itself
      assert.strictEqual(code, 1);
      assert.match(
        stderr,
        /rpa-vision record: cannot write screenshot shots\/shot_0001\.png in .*: a part of the path is a file, not a directory \(ENOTDIR\)/,
      );
      const session = readSession(dir);
      assert.match(session.end_reason!, /^output failed: /);
      assert.ok(
        session.events.some((e) => e.type === 'mouse_click' && e.screenshot_id === null),
        'the click is kept, without the shot that could not be written',
      );
    });

    it('refuses a directory that already holds a session instead of overwriting it', async () => {
      const dir = tempDir('rpa-cli-exists-');
      fs.writeFileSync(path.join(dir, 'session.json'), '{}');
      const { code, stderr } = await record(['--out', dir], vd.env).done;
      assert.strictEqual(code, 1);
      assert.match(stderr, /already holds a recording \(session\.json\); choose a new or empty directory/);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'session.json'), 'utf8'), '{}');
    });
  });

  it('keeps everything recorded so far, and says so, when the display is lost mid-session', async () => {
    const vd = await VirtualDesktop.start();
    try {
      vd.launch('xmessage', ['-name', 'doomed', '-geometry', '400x150+100+100', '-title', 'Doomed window', 'bye']);
      await vd.activate(await vd.waitForWindow('^Doomed window$'));
      const dir = tempDir('rpa-cli-lost-');
      const run = record(['--out', dir], vd.env);
      await run.listening;
      await click(vd, 200, 150);
      await vd.type('kept');
      // The X server goes away under the recorder once its checkpoint holds what was typed.
      await vd.waitFor(
        () =>
          fs.existsSync(path.join(dir, 'session.json')) &&
          fs.readFileSync(path.join(dir, 'session.json'), 'utf8').includes('"••••"'),
        20_000,
        'the checkpoint to hold the typed text',
      );
      await vd.stop();
      const { code, stderr } = await run.done;
      assert.strictEqual(code, 1);
      assert.match(
        stderr,
        new RegExp(
          `the display ${vd.display} was lost .*; the \\d+ events and \\d+ screenshots recorded before that are kept in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/session\\.json`,
        ),
      );
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      const session = readSession(dir);
      assert.match(session.end_reason!, /^display lost/);
      assert.ok(session.events.some((e) => e.type === 'mouse_click'));
      // The field was not finished when the display went: nobody could look whether it shows
      // bullets, so its text is kept as it went to the checkpoints, masked, with its length.
      assert.strictEqual(session.events.find((e) => e.type === 'text_input')?.text, '••••');
      for (const s of session.screenshots) assert.ok(fs.existsSync(path.join(dir, s.relative_path)));
    } finally {
      await vd.stop();
    }
  });

  it('says clearly when the output directory cannot be written, before recording anything', async () => {
    const file = path.join(tempDir('rpa-cli-file-'), 'a-file');
    fs.writeFileSync(file, 'not a directory');
    const { code, stderr } = await record(['--out', path.join(file, 'session')], { ...process.env, DISPLAY: ':1' })
      .done;
    assert.strictEqual(code, 1);
    assert.match(
      stderr,
      /^rpa-vision record: cannot create the session folder and write in .*a-file\/session: a part of the path is a file, not a directory \(ENOTDIR\)\n$/,
    );
  });

  it('says there is no display instead of crashing', async () => {
    const dir = tempDir('rpa-cli-nodisplay-');
    const { code, stderr } = await record(['--out', dir], { ...process.env, DISPLAY: '' }).done;
    assert.strictEqual(code, 1);
    assert.strictEqual(stderr, 'rpa-vision record: no display (set DISPLAY)\n');
  });

  it('asks for --out', async () => {
    const { code, stderr } = await record([], process.env).done;
    assert.strictEqual(code, 2);
    assert.match(stderr, /--out DIR is required[\s\S]*Usage: rpa-vision record --out DIR/);
  });
});
