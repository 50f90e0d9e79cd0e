/**
 * Which node a screen joins when several are close enough: the one whose screens had its window
 * title. With typed text taken for data, an empty "Untitled - Notepad" of a second demonstration
 * is nearer the first one's saved "… - Notepad" than its empty start: the title tells them apart.
 */
import assert from 'assert';
import { ScreenClusters } from '../../lib/graph/screen-clusters';
import type { Observation } from '../../lib/graph/observation';

/** A screen whose embedding points `degrees` away from the first one's. */
function screen(key: string, degrees: number, title: string): Observation {
  const a = (degrees * Math.PI) / 180;
  return {
    key,
    sessionIndex: 0,
    screenshotId: key,
    analysis: { width: 800, height: 600, scaleFactor: 1, imageHash: key, text: [], elements: [], timings: {} },
    vector: Float32Array.from([Math.cos(a), Math.sin(a)]),
    provider: 'test',
    title,
    titleKnown: true,
    appName: 'notepad.exe',
    frame: [0, 0, 800, 600],
  };
}

describe('screen clusters: the window title chooses between nodes close enough', () => {
  it('puts the second empty editor with the first one, not with the saved document nearer to it', () => {
    const clusters = new ScreenClusters([]);
    const empty = clusters.assign(screen('d1-start', 0, 'Untitled - Notepad'));
    const saved = clusters.assign(screen('d1-end', 34, '… - Notepad'));
    assert.notStrictEqual(empty, saved, 'two screens (cosine 0.83)');
    // cosine 0.93 to the empty one, 0.98 to the saved one: both over the 0.9 to join.
    assert.strictEqual(clusters.assign(screen('d2-start', 21.6, 'Untitled - Notepad')), empty);
  });

  it('takes the nearest node when none of them had the title', () => {
    const clusters = new ScreenClusters([]);
    clusters.assign(screen('a', 0, 'Orders'));
    const b = clusters.assign(screen('b', 34, 'Customers'));
    assert.strictEqual(clusters.assign(screen('c', 21.6, 'Invoices')), b);
  });
});
