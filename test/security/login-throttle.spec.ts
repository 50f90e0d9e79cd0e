/**
 * The login throttle on its own clock: five failures make that client and name wait, the wait
 * doubles with each further failure and ends; another address or a success is not affected;
 * one address guessing many names waits too.
 */
import assert from 'assert';
import { LoginThrottle } from '../../scripts/login-throttle';

describe('login throttle', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('makes a client wait after 5 failures, doubling the wait, only for that client', () => {
    const t = new LoginThrottle({}, clock);
    for (let i = 0; i < 4; i++) t.failure('10.0.0.9', 'admin');
    assert.strictEqual(t.waitMs('10.0.0.9', 'admin'), 0);
    t.failure('10.0.0.9', 'admin');
    assert.strictEqual(t.waitMs('10.0.0.9', 'admin'), 30_000);
    assert.strictEqual(t.waitMs('10.0.0.7', 'admin'), 0, 'another client');
    now += 30_000;
    assert.strictEqual(t.waitMs('10.0.0.9', 'admin'), 0, 'the wait ends');
    t.failure('10.0.0.9', 'admin');
    assert.strictEqual(t.waitMs('10.0.0.9', 'admin'), 60_000, 'and doubles');
    for (let i = 0; i < 10; i++) t.failure('10.0.0.9', 'admin');
    assert.strictEqual(t.waitMs('10.0.0.9', 'admin'), 15 * 60_000, 'up to 15 minutes');
  });

  it('forgets failures after a success and after the window', () => {
    const t = new LoginThrottle({}, clock);
    for (let i = 0; i < 4; i++) t.failure('10.0.0.9', 'admin');
    t.success('10.0.0.9', 'admin');
    t.failure('10.0.0.9', 'admin');
    assert.strictEqual(t.waitMs('10.0.0.9', 'admin'), 0);
    for (let i = 0; i < 3; i++) t.failure('10.0.0.9', 'admin');
    now += 15 * 60_000 + 1;
    t.failure('10.0.0.9', 'admin');
    assert.strictEqual(t.waitMs('10.0.0.9', 'admin'), 0);
  });

  it('makes one address guessing many user names wait', () => {
    const t = new LoginThrottle({}, clock);
    for (let i = 0; i < 20; i++) t.failure('10.0.0.9', `user${i}`);
    assert.ok(t.waitMs('10.0.0.9', 'someone-else') > 0);
    assert.strictEqual(t.waitMs('10.0.0.8', 'someone-else'), 0);
  });
});
