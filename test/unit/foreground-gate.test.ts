import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ForegroundGate } from '../../src/storage/database.js';

/** What ran when, as a list of events. */
function recorder() {
  const events: string[] = [];
  const task = (name: string, ms: number) => async () => {
    events.push(`${name} start`);
    await sleep(ms);
    events.push(`${name} end`);
  };
  return { events, task };
}

/** A promise and its resolve, to finish a piece of work when the test says so. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ForegroundGate', () => {
  it('holds background work while the foreground is busy, and lets it in one at a time', async () => {
    // only the foreground's end can let work in here: the longest wait is far away
    const gate = new ForegroundGate(5, 60_000);
    const started: string[] = [];
    const request = deferred();
    const save1 = deferred();
    const late = deferred();
    const fg = gate.foreground(() => request.promise);
    const bg1 = gate.background(async () => {
      started.push('save 1');
      await save1.promise;
    });
    const bg2 = gate.background(async () => {
      started.push('save 2');
    });
    await sleep(50);
    expect(started).toEqual([]);
    request.resolve();
    await fg;
    while (started.length === 0) await sleep(1);
    expect(started).toEqual(['save 1']);
    // a request arriving while the first save runs goes before the second save
    const lateFg = gate.foreground(() => late.promise);
    save1.resolve();
    await bg1;
    await sleep(50);
    expect(started).toEqual(['save 1']);
    late.resolve();
    await Promise.all([lateFg, bg2]);
    expect(started).toEqual(['save 1', 'save 2']);
  });

  it('lets background work in when it has waited its longest, however busy the foreground', async () => {
    const gate = new ForegroundGate(20, 100);
    const { events, task } = recorder();
    let busy = true;
    const requests = (async () => {
      for (let i = 0; busy && i < 100; i++) await gate.foreground(task(`request ${i}`, 5));
    })();
    await gate.background(task('save', 1));
    busy = false;
    await requests;
    const save = events.indexOf('save start');
    expect(save).toBeGreaterThan(0);
    // it went in the middle of the stream of requests, not after it
    expect(events.slice(save + 2).some((e) => e.startsWith('request'))).toBe(true);
  });

  it('lets work that asks for a longer quiet wait for it, without holding back the others', async () => {
    const gate = new ForegroundGate(1, 60_000);
    const started: string[] = [];
    await gate.foreground(() => sleep(1));
    const maintenance = gate.background(async () => void started.push('maintenance'), {
      quietMs: 300,
      maxWaitMs: 60_000,
    });
    const save = gate.background(async () => void started.push('save'));
    await save;
    expect(started).toEqual(['save']);
    // a request within the longer quiet starts it again
    await sleep(150);
    await gate.foreground(() => sleep(1));
    const since = performance.now();
    await maintenance;
    expect(started).toEqual(['save', 'maintenance']);
    expect(performance.now() - since).toBeGreaterThanOrEqual(250);
  });

  it('gives up a wait when its signal is aborted: the work never runs, and the rest goes on', async () => {
    const gate = new ForegroundGate(1, 60_000);
    const request = deferred();
    const fg = gate.foreground(() => request.promise);
    const stop = new AbortController();
    let ran = false;
    const waiting = gate.background(async () => void (ran = true), {
      quietMs: 1,
      maxWaitMs: 60_000,
      signal: stop.signal,
    });
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    const aborted = new AbortController();
    aborted.abort(new Error('before'));
    await expect(
      gate.background(async () => void (ran = true), { quietMs: 1, maxWaitMs: 60_000, signal: aborted.signal }),
    ).rejects.toThrow('before');
    request.resolve();
    await fg;
    await expect(gate.background(() => Promise.resolve(9))).resolves.toBe(9);
    expect(ran).toBe(false);
  });

  it('passes a background failure to its caller and keeps letting others in', async () => {
    const gate = new ForegroundGate(1, 1_000);
    await expect(gate.background(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.background(() => Promise.resolve(7))).resolves.toBe(7);
    await expect(gate.foreground(() => Promise.reject(new Error('bang')))).rejects.toThrow('bang');
    await expect(gate.background(() => Promise.resolve(8))).resolves.toBe(8);
  });
});
