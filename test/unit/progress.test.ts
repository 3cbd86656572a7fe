import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { throughputReporter } from '../../src/entry/progress.js';

/** A terminal-like stream that keeps what was written, escape sequences removed. */
function terminal() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // eslint-disable-next-line no-control-regex
      text += chunk.toString().replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120 });
  return { stream, text: () => text };
}

describe('the progress of a long run', () => {
  it('draws the bar again below a log line on a terminal, so that no line overwrites it', () => {
    const t = terminal();
    const progress = throughputReporter('classify', t.stream);
    progress.update({ done: 10, failed: 0, total: 100, elapsedMs: 2_000 });
    progress.log('an analysis process warned');
    progress.stop();
    const after = t.text().split('an analysis process warned\n')[1] ?? '';
    expect(after).toMatch(/^classify \|.*10\/100 done, 0 failed \| 5\.0\/s \| ETA 18s/);
  });

  it('writes plain lines elsewhere, counting ads with rate and ETA', () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const progress = throughputReporter('classify', stream, 0);
    progress.log('a warning');
    progress.update({ done: 50, failed: 1, total: 200, elapsedMs: 10_000 });
    expect(text).toBe('a warning\nclassify: 50/200 done, 1 failed, 5.0/s, 25% of the input, ETA 30s\n');
  });
});
