import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/base/paths.js';

/** Table 12ti's metadata as the PxWeb API (v1) gives it: test/fixtures/statistics/12ti-metadata.json. */
export const METADATA = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'statistics', '12ti-metadata.json'), 'utf8'),
) as { title: string; variables: { code: string; text: string; values: string[]; valueTexts: string[] }[] };

/** The made-up figure of a cell: jobseekers and vacancies from the cell's place; Hämeenlinna's sellers withheld. */
export function figureAt(month: string, region: string, occupation: string, measure: string): number | null {
  const [m, r, o] = [0, 1, 2].map((i) => METADATA.variables[i]!.values.indexOf([month, region, occupation][i]!));
  const jobseekers = (r! + 1) * 1000 + o! * 100 + m!;
  if (measure === 'TYOTTOMATLOPUSSA') return jobseekers;
  if (measure === 'AVPAIKATLOPUSSA')
    return region === 'KU109' && occupation === '5223' ? null : Math.floor(jobseekers / 4);
  return 7;
}

export interface PxWebServer {
  /** the table's URL */
  table: string;
  /** the cells of every data query answered */
  queries: number[];
  /** queries sent past the call limit (each answered 429) */
  overLimit: number;
  close(): Promise<void>;
}

/**
 * Statistics Finland's PxWeb API (v1 protocol) for table 12ti over HTTP on loopback: `?config` with its limits,
 * GET the table's metadata, POST a query for JSON-stat2. It enforces the limits as the service does (403 past the
 * cell limit, 429 past the call limit) and, with `busyOnce`, answers the first query 429 as a busy service would.
 */
export async function startPxWebServer(
  limits: { maxValues: number; maxCalls: number; timeWindow: number },
  busyOnce = false,
): Promise<PxWebServer> {
  const calls: number[] = [];
  let busy = busyOnce;
  const state = { queries: [] as number[], overLimit: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const send = (status: number, answer: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
      };
      if (req.url === '/PxWeb/api/v1/fi/?config') return send(200, { apiVersion: '1.1.0', ...limits });
      if (req.url !== '/PxWeb/api/v1/fi/StatFin/tyonv/12ti.px') return send(404, 'Not found');
      const now = Date.now();
      while (calls.length > 0 && now - calls[0]! >= limits.timeWindow * 1000) calls.shift();
      calls.push(now);
      if (calls.length > limits.maxCalls) {
        state.overLimit++;
        return send(429, 'Too many requests');
      }
      if (req.method === 'GET') return send(200, METADATA);
      if (busy) {
        busy = false;
        return send(429, 'Too many requests');
      }
      const query = (JSON.parse(body) as { query: { code: string; selection: { values: string[] } }[] }).query;
      const chosen = METADATA.variables.map((v) => query.find((q) => q.code === v.code)?.selection.values ?? v.values);
      const cells = chosen.reduce((n, v) => n * v.length, 1);
      if (cells > limits.maxValues) return send(403, 'Too many values selected');
      state.queries.push(cells);
      const value: (number | null)[] = [];
      for (const m of chosen[0]!)
        for (const r of chosen[1]!)
          for (const o of chosen[2]!) for (const t of chosen[3]!) value.push(figureAt(m, r, o, t));
      send(200, {
        version: '2.0',
        class: 'dataset',
        label: METADATA.title,
        source: 'Tilastokeskus',
        id: METADATA.variables.map((v) => v.code),
        size: chosen.map((v) => v.length),
        role: { time: ['kuukausi'] },
        dimension: Object.fromEntries(
          METADATA.variables.map((v, i) => [
            v.code,
            {
              label: v.text,
              category: {
                index: Object.fromEntries(chosen[i]!.map((c, k) => [c, k])),
                label: Object.fromEntries(chosen[i]!.map((c) => [c, v.valueTexts[v.values.indexOf(c)]])),
              },
            },
          ]),
        ),
        value,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    table: `http://127.0.0.1:${port}/PxWeb/api/v1/fi/StatFin/tyonv/12ti.px`,
    get queries() {
      return state.queries;
    },
    get overLimit() {
      return state.overLimit;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
