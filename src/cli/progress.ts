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
