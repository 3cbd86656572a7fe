import type { Config } from '../../base/config.js';
import type { BatchAd } from './records.js';

/** Messages between `skills-radar classify` and its analysis processes. */
export type ToChild =
  | { type: 'init'; snapshotFile: string; format: 'jsonl' | 'csv'; config: Config }
  | { type: 'snapshot'; snapshotFile: string; config: Config }
  | { type: 'work'; chunk: number; ads: BatchAd[] }
  | { type: 'stop' };
export type FromChild =
  | { type: 'ready'; semantic: string | null }
  | { type: 'snapshot-written'; semantic: string | null }
  | { type: 'snapshot-failed'; error: string; usage: boolean }
  | {
      type: 'results';
      chunk: number;
      results: { id: string; row: number; /** the output line, UTF-8 */ output?: Uint8Array; error?: string }[];
    }
  | { type: 'stopped'; maxRssMiB: number; /** CPU seconds spent since ready */ cpuSeconds: number }
  | { type: 'failed'; error: string };
