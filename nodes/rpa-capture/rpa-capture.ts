/**
 * rpa-capture: records what the user does ("start" … "stop", a rawsession_v1 session sent
 * downstream) and takes single screenshots ("snapshot") for the detect node and the runner.
 * The recording runs in a child process (lib/capture/recording.ts), so a display that goes away
 * ends the recording, with everything kept, instead of taking Node-RED down with it.
 */
import path from 'path';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { openDesktop, probeDisplay, type Desktop } from '../../lib/platform';
import { takeSnapshot } from '../../lib/capture/snapshot';
import { Recording, type RecordingResult } from '../../lib/capture/recording';
import { patternList } from '../../lib/capture/privacy';
import { newSessionId } from '../../lib/capture/recorder';
import { RecordingStateError } from '../../lib/capture/errors';
import { dataDir, STATUS } from '../shared/runtime';
import { statusText, translate } from '../shared/i18n';
import { failurePolicy, ONE_OUTPUT_THEN_FAILURE, type FailureConfig } from '../shared/handlers';

interface CaptureConfig extends NodeDef, FailureConfig {
  /** What a message without a command does: take a snapshot, or start/stop a recording. */
  mode: 'snapshot' | 'record';
  outputDir: string;
  exclude?: string;
  sensitive?: string;
  user?: string;
  maxDuration?: string | number;
}

const COMMANDS = ['snapshot', 'start', 'stop'] as const;
type CaptureCommand = (typeof COMMANDS)[number];

/** What goes downstream when a recording ends. */
function sessionPayload(result: RecordingResult) {
  return {
    type: 'session',
    session_id: result.session.session_id,
    session_dir: result.dir,
    session_file: result.file,
    events: result.session.events.length,
    screenshots: result.session.screenshots.length,
    end_reason: result.endReason,
    interrupted: result.interrupted,
    session: result.session,
  };
}

export = function (RED: NodeAPI): void {
  function RpaCaptureNode(this: Node, config: CaptureConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const snapshotDir = config.outputDir || path.join(dataDir(RED), 'snapshots');
    const sessionsDir = config.outputDir || path.join(dataDir(RED), 'sessions');
    const maxDurationS = Number(config.maxDuration) > 0 ? Number(config.maxDuration) : undefined;
    let desktop: Desktop | undefined;
    let recording: Recording | undefined;
    let stoppingByMessage = false;
    let closed = false;
    let statusTimer: NodeJS.Timeout | undefined;
    const policy = failurePolicy(node, config, ONE_OUTPUT_THEN_FAILURE);

    void probeDisplay().then((probe) => {
      if (closed || recording) return;
      node.status(
        probe.ok
          ? STATUS.idle(translate(RED, 'rpa-capture.status.ready', { display: probe.display }))
          : STATUS.error(probe.reason),
      );
    });

    function showRecording(): void {
      if (statusTimer || !recording) return;
      // At most four status updates a second, however fast the user types.
      statusTimer = setTimeout(() => {
        statusTimer = undefined;
        if (recording && !recording.isEnded)
          node.status(STATUS.busy(translate(RED, 'rpa-capture.status.recording', { count: recording.eventCount })));
      }, 250);
    }

    function commandOf(msg: NodeMessageInFlow): string {
      const given =
        (typeof msg.payload === 'string' && msg.payload.trim()) ||
        (typeof msg.topic === 'string' && msg.topic.trim()) ||
        '';
      if (given) return given.toLowerCase();
      if (config.mode === 'record') return recording ? 'stop' : 'start';
      return 'snapshot';
    }

    async function start(): Promise<void> {
      if (recording)
        throw new RecordingStateError(
          translate(RED, 'rpa-capture.errors.alreadyRecording', { count: recording.eventCount }),
        );
      const user = config.user?.trim() || undefined;
      const sessionId = newSessionId(user ?? 'node-red');
      const sensitive = patternList(config.sensitive);
      node.status(STATUS.busy(statusText(RED, 'rpa-capture.status.starting')));
      const rec = await Recording.start({
        outDir: path.join(sessionsDir, sessionId),
        sessionId,
        durationS: maxDurationS,
        user: user ? { id: user } : undefined,
        privacy: { exclude: patternList(config.exclude), sensitive: sensitive.length ? sensitive : undefined },
      });
      recording = rec;
      node.status(STATUS.busy(translate(RED, 'rpa-capture.status.recording', { count: 0 })));
      rec.on('event', showRecording);
      // A recording that ends without a "stop" (time limit, display lost) still reaches the flow.
      void rec.ended.then((result) => {
        if (recording === rec) recording = undefined;
        if (stoppingByMessage || closed) return;
        const msg: NodeMessage = { topic: 'session', payload: sessionPayload(result) };
        endedStatus(result);
        node.send(msg);
        // The session is kept and sent; the failure that ended it follows the failure policy.
        if (result.error)
          policy.fail(
            RED.util.cloneMessage(msg),
            result.error,
            (out) => node.send(out),
            (err) => err && node.error(err, msg),
          );
      });
    }

    function endedStatus(result: RecordingResult): void {
      clearTimeout(statusTimer);
      statusTimer = undefined;
      const counts = { events: result.session.events.length, shots: result.session.screenshots.length };
      node.status(
        result.error
          ? STATUS.error(
              translate(RED, `rpa-capture.status.${result.interrupted ? 'interrupted' : 'failed'}`, {
                reason: result.endReason,
                ...counts,
              }),
            )
          : STATUS.ok(translate(RED, 'rpa-capture.status.session', counts)),
      );
    }

    async function stop(): Promise<RecordingResult> {
      const rec = recording;
      if (!rec) throw new RecordingStateError(translate(RED, 'rpa-capture.errors.notRecording'));
      stoppingByMessage = true;
      try {
        node.status(STATUS.busy(statusText(RED, 'rpa-capture.status.stopping')));
        const result = await rec.stop('stopped');
        endedStatus(result);
        return result;
      } finally {
        stoppingByMessage = false;
        if (recording === rec) recording = undefined;
      }
    }

    // The handler catches every failure itself and reports it through done(err).
    node.on('input', (msg: NodeMessageInFlow, send, done) => void onInput(msg, send, done));

    async function onInput(
      msg: NodeMessageInFlow,
      send: (m: NodeMessageInFlow | Array<NodeMessageInFlow | null>) => void,
      done: (err?: Error) => void,
    ): Promise<void> {
      const fail = (err: unknown) => policy.fail(msg, err, send as never, done);
      const command = commandOf(msg);
      if (!(COMMANDS as readonly string[]).includes(command)) {
        fail(translate(RED, 'rpa-capture.errors.unknownCommand', { command }));
        return;
      }
      try {
        switch (command as CaptureCommand) {
          case 'start':
            await start();
            done();
            return;
          case 'stop': {
            const result = await stop();
            msg.payload = sessionPayload(result);
            send(msg);
            // The session is kept and sent; the failure that ended it follows the failure policy.
            if (result.error) policy.fail(RED.util.cloneMessage(msg), result.error, send as never, done);
            else done();
            return;
          }
          case 'snapshot': {
            desktop ??= await openDesktop();
            if (!recording) node.status(STATUS.busy(statusText(RED, 'rpa-capture.status.capturing')));
            const shot = await takeSnapshot(desktop, { outDir: snapshotDir });
            msg.payload = {
              type: 'snapshot',
              screenshot_path: shot.path,
              image: shot.png,
              width: shot.width,
              height: shot.height,
              scale_factor: shot.scale_factor,
              captured_at: shot.captured_at,
              capture_latency_ms: shot.capture_latency_ms,
              window: shot.window,
            };
            if (!recording)
              node.status(
                STATUS.ok(
                  translate(RED, 'rpa-capture.status.snapshot', {
                    width: shot.width,
                    height: shot.height,
                    ms: shot.capture_latency_ms,
                  }),
                ),
              );
            send(msg);
            done();
            return;
          }
        }
      } catch (err) {
        if (command === 'snapshot') desktop = undefined;
        if (!recording) node.status(STATUS.error((err as Error).message));
        fail(err);
      }
    }

    node.on('close', (_removed: boolean, finished: () => void) => {
      closed = true;
      clearTimeout(statusTimer);
      desktop = undefined;
      const rec = recording;
      recording = undefined;
      const done = () => {
        node.status({});
        finished();
      };
      if (rec) rec.stop('node closed').then(done, done);
      else done();
    });
  }
  RED.nodes.registerType('rpa-capture', RpaCaptureNode as unknown as Parameters<NodeAPI['nodes']['registerType']>[1]);
};
