import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { PROJECT_ROOT } from '../../base/paths.js';

export const ModelEntry = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9._-]+$' }),
  backend: Type.Union([Type.Literal('use'), Type.Literal('transformers')]),
  hub: Type.Optional(Type.String()),
  revision: Type.Optional(Type.String()),
  path: Type.Optional(Type.String()),
  files: Type.Optional(Type.Array(Type.String())),
  dtype: Type.Optional(Type.Union([Type.Literal('fp32'), Type.Literal('fp16'), Type.Literal('q8')])),
  dims: Type.Integer({ minimum: 1 }),
  pooling: Type.Union([Type.Literal('mean'), Type.Literal('cls'), Type.Literal('model')]),
  normalize: Type.Boolean(),
  prefix: Type.Optional(Type.String()),
  languages: Type.Array(Type.String()),
  licence: Type.String(),
  source: Type.String(),
});
export type ModelEntry = Static<typeof ModelEntry>;

const Manifest = Type.Object({ models: Type.Array(ModelEntry) });

/** The models the project knows (models/manifest.json, or MODELS_DIR/manifest.json when that exists). */
export function readManifest(modelsDir: string): ModelEntry[] {
  const own = join(modelsDir, 'manifest.json');
  const path = existsSync(own) ? own : join(PROJECT_ROOT, 'models', 'manifest.json');
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Value.Check(Manifest, data)) {
    const [error] = [...Value.Errors(Manifest, data)];
    throw new Error(`${path}: ${error?.instancePath ?? ''} ${error?.message ?? 'invalid'}`);
  }
  return data.models;
}
