/**
 * What a person answers or follows on the dashboard (flows/questions.json), for the runs of
 * this Node-RED (rpa-workflow, rpa-execute-edge):
 *   GET /rpa-vision/questions                  questions waiting for a person: confirmations and
 *                                              unexpected screens, with the target's box
 *   GET /rpa-vision/questions/:id/screenshot   the question's screenshot (PNG): the run's own when it
 *                                              wrote one, else the screen as the paused run holds it,
 *                                              captured once
 *   GET /rpa-vision/coaching                   the step each COACHING run shows now, with its box
 *   GET /rpa-vision/screen                     the live screen (PNG) the coaching page refreshes
 * Reading needs `read`; the answer goes to POST /rpa-vision/executions/:id/confirm (rpa.approve).
 */
import type { Response } from 'express';
import { readDataFileAsync } from '../../lib/contracts/sealed-files';
import { coachingSteps, pendingQuestions, type PendingQuestion, type PromptTexts } from '../../lib/execute';
import { encodePng } from '../../lib/image/codec';
import { NoDisplayError, openDesktop, type Desktop } from '../../lib/platform';
import { HttpError, type RouteModule } from './route';

const PREFIX = '/rpa-vision';

/** A question as the Questions page shows it. */
export interface QuestionView {
  execution_id: string;
  workflow_id: string;
  kind: 'confirm' | 'unexpected';
  step: number;
  edge_id: string;
  /** confirm: the step ('click the button "Valider"'); unexpected: what was expected and what is seen. */
  description: string;
  /** Why a confirmation is asked (learning state or safety rule); null for an unexpected screen. */
  reason: string | null;
  /** The description and the reason in English and French (confirm questions), for the reader's language. */
  texts: PromptTexts | null;
  expected: string[];
  seen: string | null;
  /** The target on the screenshot, in its pixels [x1, y1, x2, y2]; null when there is none. */
  bbox: [number, number, number, number] | null;
  asked_at: string;
  screenshot_url: string;
  /** What the answer may be, as POST …/confirm takes it. */
  answers: Array<boolean | 'retry' | 'abort'>;
}

type Pending = { execution_id: string } & PendingQuestion;

function viewOf(q: Pending): QuestionView {
  const url = `${PREFIX}/questions/${encodeURIComponent(q.execution_id)}/screenshot?at=${encodeURIComponent(q.asked_at)}`;
  if (q.kind === 'confirm')
    return {
      execution_id: q.execution_id,
      workflow_id: q.prompt.workflow_id,
      kind: 'confirm',
      step: q.prompt.step,
      edge_id: q.prompt.edge_id,
      description: q.prompt.description,
      reason: q.prompt.reason,
      texts: q.prompt.texts ?? null,
      expected: [],
      seen: null,
      bbox: q.prompt.bbox,
      asked_at: q.asked_at,
      screenshot_url: url,
      answers: [true, false],
    };
  return {
    execution_id: q.execution_id,
    workflow_id: q.info.workflow_id,
    kind: 'unexpected',
    step: q.info.step,
    edge_id: q.info.edge_id,
    description: `expected ${q.info.expected.join(' or ')}; the screen shows ${q.info.seen}`,
    reason: null,
    texts: null,
    expected: q.info.expected,
    seen: q.info.seen,
    bbox: null,
    asked_at: q.asked_at,
    screenshot_url: url,
    answers: ['retry', 'abort'],
  };
}

const keyOf = (q: Pending) => `${q.execution_id}\n${q.asked_at}`;

/** The file the run wrote for the question, once its writer has finished it. */
async function runScreenshot(file: string): Promise<Buffer | null> {
  // The run's screenshots are written in the background: give the writer a moment.
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      return await readDataFileAsync(file);
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return null;
}

function sendPng(res: Response, png: Buffer): void {
  res.set('Cache-Control', 'no-store');
  res.type('png').send(png);
}

export const questionRoutes: RouteModule = (RED, api) => {
  const app = RED.httpAdmin;
  let desktop: Promise<Desktop> | null = null;
  /** The last capture, shared by the requests of a few hundred milliseconds (several open pages). */
  let latest: { at: number; png: Promise<Buffer> } | null = null;
  /** One screenshot per question, so the page shows the screen the question is about. */
  const shots = new Map<string, Promise<Buffer>>();

  function grabScreen(): Promise<Buffer> {
    if (latest && Date.now() - latest.at < 400) return latest.png;
    desktop ??= openDesktop().catch((err: unknown) => {
      desktop = null;
      throw err;
    });
    const png = desktop.then((d) => d.screen.grab()).then((image) => encodePng(image));
    const current = { at: Date.now(), png };
    latest = current;
    png.catch(() => {
      if (latest === current) latest = null;
    });
    return png.catch((err: unknown) => {
      if (err instanceof NoDisplayError)
        throw new HttpError(503, 'NoDisplay', `the screen cannot be shown: ${err.message}`);
      throw new HttpError(503, 'ScreenUnavailable', `the screen cannot be captured: ${(err as Error).message}`);
    });
  }

  app.get(
    `${PREFIX}/questions`,
    api.read,
    api.handle(() => {
      const pending = pendingQuestions();
      const live = new Set(pending.map(keyOf));
      for (const key of shots.keys()) if (!live.has(key)) shots.delete(key);
      return pending.map(viewOf).sort((a, b) => a.asked_at.localeCompare(b.asked_at));
    }),
  );

  app.get(
    `${PREFIX}/questions/:id/screenshot`,
    api.read,
    api.handle(async (req, res) => {
      const q = pendingQuestions().find((p) => p.execution_id === req.params.id);
      if (!q) throw new HttpError(404, 'NoQuestion', `no question is waiting for execution ${String(req.params.id)}`);
      const key = keyOf(q);
      let shot = shots.get(key);
      if (!shot) {
        const file = q.kind === 'confirm' ? q.prompt.highlight : q.info.screenshot;
        shot = (file ? runScreenshot(file) : Promise.resolve(null)).then((png) => png ?? grabScreen());
        shots.set(key, shot);
        shot.catch(() => shots.delete(key));
      }
      sendPng(res, await shot);
    }),
  );

  app.get(
    `${PREFIX}/coaching`,
    api.read,
    api.handle(() =>
      coachingSteps().map((s) => ({
        execution_id: s.execution_id,
        workflow_id: s.workflow_id,
        step: s.step,
        edge_id: s.edge_id,
        description: s.description,
        reason: s.reason,
        texts: s.texts ?? null,
        bbox: s.bbox,
        point: s.point,
        since: s.since,
      })),
    ),
  );

  app.get(
    `${PREFIX}/screen`,
    api.read,
    api.handle(async (_req, res) => sendPng(res, await grabScreen())),
  );
};
