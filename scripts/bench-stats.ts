/** Small measures the bench scripts share. */
import { readFileSync } from 'node:fs';

/** The value at quantile `p` (0–1) of numbers sorted in ascending order; undefined when there are none. */
export function quantile(sorted: readonly number[], p: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** The machine's CPU time so far, all cores (from /proc/stat): idle, stolen by the hypervisor, and total jiffies. */
export function cpuTimes(): { idle: number; steal: number; total: number } {
  const t = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  return { idle: t[3]! + t[4]!, steal: t[7] ?? 0, total: t.reduce((a, b) => a + b, 0) };
}

/** The share of the CPUs' time the hypervisor gave to other machines between two readings of cpuTimes. */
export function stolenShare(a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>): number {
  return (b.steal - a.steal) / Math.max(1, b.total - a.total);
}

/** The share of the CPUs' time that was busy between two readings of cpuTimes: near 1, work was waiting for CPU. */
export function busyShare(a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>): number {
  return 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
}

/** A process's peak RSS (VmHWM) in MiB, from /proc; read it before the process exits. */
export function peakRssMiB(pid: number | undefined): number {
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
}

/** A service's analysis processes among a process's children, from /proc (none once it has gone). */
export function analysisChildrenOf(pid: number | undefined): number[] {
  try {
    const all = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return all.filter((c) => readFileSync(`/proc/${c}/cmdline`, 'utf8').includes('__analysis-child'));
  } catch {
    return [];
  }
}
