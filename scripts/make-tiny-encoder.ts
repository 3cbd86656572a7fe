/**
 * Writes a tiny BERT-shaped ONNX sentence encoder with its tokenizer files, for testing the transformers.js
 * backend without a model hub: token embeddings (seeded pseudo-random, 16 dimensions) looked up by Gather and
 * multiplied by the attention mask; output `last_hidden_state` [batch, sequence, 16]. Pooling and normalisation
 * are the pipeline's. The ONNX protobuf is written by src/analysis/embeddings/onnx-proto.ts, so no Python is needed.
 *   node --import tsx scripts/make-tiny-encoder.ts [outDir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FLOAT,
  graphName,
  initializer,
  INT64,
  intAttribute,
  model,
  node,
  valueInfo,
} from '../src/analysis/embeddings/onnx-proto.js';
import { rng } from './synthetic-ads.js';

export const TINY_DIMS = 16;
export const TINY_VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'we',
  'need',
  'a',
  'an',
  'experienced',
  'welder',
  'welding',
  'weld',
  'metal',
  'forklift',
  'drive',
  'operate',
  'customer',
  'service',
  'sell',
  'products',
  'python',
  'programming',
  'and',
  'the',
  'with',
  'skills',
  'equipment',
  'techniques',
  '.',
  ',',
  '##s',
  '##ing',
  '##er',
];

/** The embedding matrix, row per vocabulary entry, as the model holds it. */
export function tinyEmbeddings(): Float32Array {
  const random = rng(20261123);
  const m = new Float32Array(TINY_VOCAB.length * TINY_DIMS);
  for (let i = 0; i < m.length; i++) m[i] = random() * 2 - 1;
  return m;
}

export function tinyOnnxModel(): Uint8Array {
  return model([
    node(['embeddings', 'input_ids'], ['tokens'], 'Gather', [intAttribute('axis', 0)]),
    node(['attention_mask'], ['mask_f'], 'Cast', [intAttribute('to', FLOAT)]),
    node(['mask_f', 'axes'], ['mask_3d'], 'Unsqueeze'),
    node(['tokens', 'mask_3d'], ['last_hidden_state'], 'Mul'),
    graphName('tiny-encoder'),
    initializer('embeddings', [TINY_VOCAB.length, TINY_DIMS], FLOAT, tinyEmbeddings()),
    initializer('axes', [1], INT64, new BigInt64Array([2n])),
    valueInfo(11, 'input_ids', INT64, ['batch_size', 'sequence_length']),
    valueInfo(11, 'attention_mask', INT64, ['batch_size', 'sequence_length']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch_size', 'sequence_length', TINY_DIMS]),
  ]);
}

export function writeTinyEncoder(dir: string): void {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), tinyOnnxModel());
  const vocab = Object.fromEntries(TINY_VOCAB.map((t, i) => [t, i]));
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer, null, 1));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify(
      {
        tokenizer_class: 'BertTokenizer',
        do_lower_case: true,
        model_max_length: 64,
        pad_token: '[PAD]',
        unk_token: '[UNK]',
        cls_token: '[CLS]',
        sep_token: '[SEP]',
      },
      null,
      1,
    ),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify(
      {
        model_type: 'bert',
        architectures: ['BertModel'],
        hidden_size: TINY_DIMS,
        vocab_size: TINY_VOCAB.length,
        max_position_embeddings: 64,
        num_attention_heads: 1,
        num_hidden_layers: 0,
      },
      null,
      1,
    ),
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const out = process.argv[2] ?? join(import.meta.dirname, '..', 'test', 'fixtures', 'models', 'tiny-encoder');
  writeTinyEncoder(out);
  console.log(`wrote ${out}`);
}
