import readline from 'node:readline';
import cliProgress from 'cli-progress';

/** A progress bar on a terminal; plain lines, at most every few seconds, when not. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: '{stage} |{bar}| {value}/{total}', stream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let stage = '';
    return {
      update(name: string, done: number, total: number) {
        if (name !== stage) {
          if (stage) bar.stop();
          stage = name;
          bar.start(Math.max(total, done), done, { stage: name.padEnd(28) });
        }
        bar.setTotal(Math.max(total, done));
        bar.update(done, { stage: name.padEnd(28) });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(name: string, done: number, total: number) {
      const now = Date.now();
      if (done === total || now - last > 2_000) {
        last = now;
        stream.write(`${name}: ${done}${total ? `/${total}` : ''}\n`);
      }
    },
    stop: () => undefined,
  };
}

export interface ThroughputProgress {
  /** items finished (written or failed) and how many of them failed */
  done: number;
  failed: number;
  /** items already finished by an earlier run */
  resumed?: number;
  /** items in total, when known */
  total?: number | undefined;
  /** how much of the input has been read, when its size is known (for the ETA) */
  bytesRead?: number;
  size?: number | undefined;
  elapsedMs: number;
}

const asLine = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

const duration = (s: number) =>
  !Number.isFinite(s)
    ? '?'
    : s >= 3600
      ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
      : s >= 60
        ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`
        : `${Math.round(s)}s`;

/**
 * Progress of a long run over items: on a terminal a bar (done / total when known, else the share of the input
 * read), the rate and the ETA; otherwise one plain line every `everyMs`.
 */
export function throughputReporter(name: string, stream: NodeJS.WriteStream = process.stderr, everyMs = 5_000) {
  const describe = (p: ThroughputProgress) => {
    const rate = p.done / Math.max(p.elapsedMs / 1000, 1e-3);
    const fraction = p.total
      ? p.done / p.total
      : p.size && p.bytesRead !== undefined
        ? p.bytesRead / p.size
        : undefined;
    const eta = fraction !== undefined && fraction > 0 ? (p.elapsedMs / 1000) * (1 / fraction - 1) : Infinity;
    return { rate, fraction, eta };
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${name} |{bar}| {percentage}% | {done}{ofTotal} done, {failed} failed{resumed} | {rate}/s | ETA {etaText}`,
        stream,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1000, 0, { done: 0, failed: 0, rate: '0', etaText: '?', ofTotal: '', resumed: '' });
    return {
      /** a log line above the bar, which is drawn again below it: the line never overwrites the bar */
      log(text: string) {
        readline.cursorTo(stream, 0);
        readline.clearLine(stream, 0);
        stream.write(asLine(text));
        // forced: the bar's text has not changed, only the line it was on
        (bar as unknown as { render(force: boolean): void }).render(true);
      },
      update(p: ThroughputProgress) {
        const { rate, fraction, eta } = describe(p);
        bar.update(Math.round((fraction ?? 0) * 1000), {
          done: p.done,
          ofTotal: p.total ? `/${p.total}` : '',
          failed: p.failed,
          resumed: p.resumed ? `, ${p.resumed} from before` : '',
          rate: rate.toFixed(1),
          etaText: duration(eta),
        });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    log: (text: string) => void stream.write(asLine(text)),
    update(p: ThroughputProgress, final = false) {
      const now = Date.now();
      if (!final && now - last < everyMs) return;
      last = now;
      const { rate, fraction, eta } = describe(p);
      stream.write(
        `${name}: ${p.done}${p.total ? `/${p.total}` : ''} done, ${p.failed} failed${p.resumed ? `, ${p.resumed} from before` : ''}, ${rate.toFixed(1)}/s` +
          `${fraction !== undefined ? `, ${(fraction * 100).toFixed(0)}% of the input, ETA ${duration(eta)}` : ''}\n`,
      );
    },
    stop: () => undefined,
  };
}
