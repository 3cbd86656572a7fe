import { join, resolve } from 'node:path';
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { PROJECT_ROOT } from './paths.js';

/** Mentions counted as demand are more likely right than wrong unless COUNT_THRESHOLD says otherwise. */
export const DEFAULT_COUNT_THRESHOLD = 0.5;

/** Where `skills-radar train-spans` writes the span tagger's weights, and the eval reads them, unless told. */
export const DEFAULT_SPAN_TAGGER_FILE = join(PROJECT_ROOT, 'models', 'span-tagger.json');

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
  { default: 'info' },
);

/** The whole environment the service reads, validated once per process. */
export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'HTTP port of the API' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'interface the API listens on' }),
  REDIS_URL: Type.Optional(
    Type.String({ pattern: '^rediss?://', description: 'Redis for BullMQ; unset → a private redis-server child' }),
  ),
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL server; unset → embedded PGlite' }),
  ),
  DATA_DIR: Type.String({ minLength: 1, default: './data', description: 'PGlite files, private Redis files' }),
  KEY_DIR: Type.String({
    default: '',
    description:
      "documents' own encryption keys, destroyed on delete; unset → DATA_DIR/keys. The API and every worker share it",
  }),
  TAXONOMY_DIR: Type.String({
    minLength: 1,
    default: '../shared/data',
    description: 'official classification files, imported on first start when the folder exists',
  }),
  ALIASES_FILES: Type.String({
    minLength: 1,
    default: 'taxonomy/aliases.csv',
    description: 'comma-separated local synonym files (lang,alias,uri) added to the ESCO labels',
  }),
  SEMANTIC_MODEL: Type.String({
    pattern: '^[A-Za-z0-9._-]+$',
    default: 'use-lite-en',
    description: 'sentence encoder for semantic skill candidates: an id of models/manifest.json, or none',
  }),
  ENCODER_THREADS: Type.Integer({
    minimum: 1,
    maximum: 16,
    default: 1,
    description:
      'threads running the sentence encoder in a process that analyses the queue: 1 runs it in the analysing thread; more embed a long text in parallel, one core and a model in memory each',
  }),
  ANALYZE_ENCODER_THREADS: Type.Integer({
    minimum: 1,
    maximum: 16,
    default: 2,
    description: 'the same for the process that answers POST /v1/analyze, where a long text is waited for',
  }),
  MODELS_DIR: Type.String({ minLength: 1, default: './models', description: 'local ONNX models' }),
  CALIBRATION_FILE: Type.String({
    minLength: 1,
    default: 'models/calibration.json',
    description: "Platt parameters turning each method's raw score into a probability (skills-radar calibrate)",
  }),
  SPAN_TAGGER_FILE: Type.String({
    default: '',
    description:
      'weights of the English skill-phrase tagger (skills-radar train-spans writes models/span-tagger.json); unset: no phrases are marked',
  }),
  COUNT_THRESHOLD: Type.Number({
    minimum: 0,
    maximum: 1,
    default: DEFAULT_COUNT_THRESHOLD,
    description:
      'calibrated probability at or above which a skill or occupation mention counts as demand; the rest stay in the analysis as candidates',
  }),
  LOG_LEVEL: LogLevel,
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 1 }),
  WORKER_NICE: Type.Integer({
    minimum: 0,
    maximum: 19,
    default: 19,
    description:
      "CPU niceness of worker processes and of the API's analysis process: the API goes first on a shared machine",
  }),
  QUEUE_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_-]+$', default: 'radar' }),
  MAX_TEXT_CHARS: Type.Integer({ minimum: 1, default: 100_000, description: 'longest text stored' }),
  MAX_ANALYZE_CHARS: Type.Integer({ minimum: 1, default: 20_000, description: 'longest text for POST /v1/analyze' }),
  ANALYZE_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 15_000,
    description: 'time limit of one POST /v1/analyze; past it the analysis stops and the answer is 503',
  }),
  ANALYZE_PER_KEY: Type.Integer({
    minimum: 1,
    default: 2,
    description: 'POST /v1/analyze requests one API key may have running at once (429 above)',
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    default: 1_048_576,
    description: 'largest JSON body; batch uploads stream and have no limit',
  }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({
    minimum: 0,
    default: 30_000,
    description:
      'PostgreSQL server: a statement running longer (lock waits included) is cancelled and the request answered 503; 0: no limit. Migrations and taxonomy imports are exempt',
  }),
  REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 1_000,
    default: 3_600_000,
    description: 'longest time to receive a request, batch uploads included',
  }),
  IDLE_TIMEOUT_MS: Type.Integer({
    minimum: 1_000,
    default: 60_000,
    description: 'a connection on which nothing is sent or received this long (a request body that stalls) is closed',
  }),
  JOB_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
  JOB_BACKOFF_MS: Type.Integer({ minimum: 0, default: 2_000 }),
  WORKER_LOCK_MS: Type.Integer({
    minimum: 1_000,
    default: 30_000,
    description: "job lock; a dead worker's job is retried after it",
  }),
  REQUEUE_INTERVAL_MS: Type.Integer({
    minimum: 1_000,
    default: 60_000,
    description: 'sweep for stored documents with no job',
  }),
  HEAP_GROWING_PERCENT: Type.Integer({
    minimum: 0,
    maximum: 1_000,
    default: 300,
    description:
      "how far the API process's JS heap may grow past what was live after a full garbage collection before the next one (V8's --heap-growing-percent); 0: V8's own choice",
  }),
  MAINTENANCE_INTERVAL_MS: Type.Integer({
    minimum: 0,
    default: 300_000,
    description:
      'embedded PGlite only: how often tables are vacuumed and analysed when due, as autovacuum would on a server; 0: never',
  }),
  AUTH_CACHE_MS: Type.Integer({
    minimum: 0,
    default: 10_000,
    description: 'how long a verified API key is remembered; a revoked key stops working within this time',
  }),
  DEMAND_MIN_CELL: Type.Integer({
    minimum: 1,
    default: 3,
    description:
      "k: other organisations' private documents count in a demand cell only where at least k organisations and k documents contribute them",
  }),
  RATE_LIMIT_MAX: Type.Integer({
    minimum: 1,
    default: 1_200,
    description: 'requests per API key and route per RATE_LIMIT_WINDOW_MS',
  }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1_000, default: 60_000 }),
  AUTH_FAILURES_MAX: Type.Integer({
    minimum: 1,
    default: 60,
    description:
      'requests without a valid API key per client address per RATE_LIMIT_WINDOW_MS; above it, 429 before any key is looked up',
  }),
  METRICS: Type.Boolean({
    default: true,
    description:
      'serve GET /metrics (Prometheus text format: counts and timings, no organisation, key or document in them)',
  }),
  FAULT_JOB_DELAY_MS: Type.Integer({
    minimum: 0,
    default: 0,
    description: 'fault-injection tests only: pause inside each job',
  }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const KEYS = Object.keys(ConfigSchema.properties) as (keyof Config)[];

/** Reads, converts and validates the environment; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const value = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  const problems: string[] = [];
  const properties = ConfigSchema.properties as Record<string, TSchema & { anyOf?: { const: string }[] }>;
  // each variable on its own, so that one problem never hides another
  for (const key of KEYS) {
    const schema = properties[key]!;
    const current = (value as Record<string, unknown>)[key];
    if (current === undefined) continue;
    const [error] = [...Value.Errors(schema, current)];
    if (!error) continue;
    const allowed = schema.anyOf ? `: one of ${schema.anyOf.map((s) => s.const).join(', ')}` : '';
    problems.push(`${key}=${JSON.stringify(raw[key])} ${error.message}${allowed}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = value as Config;
  return {
    ...config,
    DATA_DIR: resolve(config.DATA_DIR),
    KEY_DIR: config.KEY_DIR ? resolve(config.KEY_DIR) : join(resolve(config.DATA_DIR), 'keys'),
    MODELS_DIR: resolve(config.MODELS_DIR),
    TAXONOMY_DIR: resolve(config.TAXONOMY_DIR),
    // the project's own list by default; files the user names are taken relative to the working directory
    ALIASES_FILES: config.ALIASES_FILES.split(',')
      .map((f) => f.trim())
      .filter((f) => f.length > 0)
      .map((f) => (raw['ALIASES_FILES'] === undefined ? join(PROJECT_ROOT, f) : resolve(f)))
      .join(','),
    CALIBRATION_FILE:
      raw['CALIBRATION_FILE'] === undefined
        ? join(PROJECT_ROOT, config.CALIBRATION_FILE)
        : resolve(config.CALIBRATION_FILE),
    SPAN_TAGGER_FILE: config.SPAN_TAGGER_FILE ? resolve(config.SPAN_TAGGER_FILE) : '',
  };
}
