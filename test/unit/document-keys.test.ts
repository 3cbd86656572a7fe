import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seal, unseal } from '../../src/storage/document-keys.js';
import { testKeys } from '../helpers/context.js';

describe('document keys', () => {
  it('keeps each key in its segment until destroyed, then zeros it in place', async () => {
    const keys = await testKeys();
    const issued = await keys.issue(3);
    expect(issued.keys.map((k) => k.length)).toEqual([32, 32, 32]);
    expect(issued.refs.map((r) => r.slot)).toEqual([0, 1, 2]);
    expect(await keys.keys(issued.refs)).toEqual(issued.keys);
    // written ahead: the next keys follow in the same segment
    const next = await keys.issue(2);
    expect(next.refs).toEqual([3, 4].map((slot) => ({ segment: issued.refs[0]!.segment, slot })));

    await keys.destroy([issued.refs[1]!]);
    expect(await keys.keys(issued.refs)).toEqual([issued.keys[0], undefined, issued.keys[2]]);
    const file = readFileSync(join(keys.dir, `${issued.refs[0]!.segment}.keys`));
    expect(file.subarray(32, 64).every((b) => b === 0)).toBe(true);
    expect(file.indexOf(issued.keys[1]!)).toBe(-1);
    expect(file.indexOf(issued.keys[2]!)).toBe(64);
  });

  it('removes a full segment once every key in it is destroyed; one not yet full stays', async () => {
    const keys = await testKeys();
    const big = await keys.issue(5000); // more than a segment holds: a segment of its own, full
    const segment = big.refs[0]!.segment;
    expect(new Set(big.refs.map((r) => r.segment))).toEqual(new Set([segment]));
    const after = await keys.issue(1);
    expect(after.refs[0]!.segment).not.toBe(segment);
    await keys.destroy(big.refs.slice(0, 4999));
    expect(existsSync(join(keys.dir, `${segment}.keys`))).toBe(true);
    await keys.destroy(big.refs.slice(4999));
    expect(existsSync(join(keys.dir, `${segment}.keys`))).toBe(false);
    await keys.destroy(after.refs);
    expect(existsSync(join(keys.dir, `${after.refs[0]!.segment}.keys`))).toBe(true);
  });

  it('reads no key for a malformed or unknown place', async () => {
    const keys = await testKeys();
    const issued = await keys.issue(2);
    const segment = issued.refs[0]!.segment;
    expect(await keys.key({ segment: '../../etc/passwd', slot: 0 })).toBeUndefined();
    expect(await keys.key({ segment: `${'a'.repeat(24)}-4096`, slot: 0 })).toBeUndefined();
    expect(await keys.key({ segment, slot: 5000 })).toBeUndefined();
    expect(await keys.key({ segment, slot: -1 })).toBeUndefined();
    expect(await keys.key({ segment, slot: 1 })).toEqual(issued.keys[1]);
  });

  it('opens a sealed value only with its key and the id it was sealed for', async () => {
    const keys = await testKeys();
    const {
      keys: [key, other],
    } = await keys.issue(2);
    const sealed = seal(key!, 'doc-1', 'Ensi vuonna tarvitaan viisi hitsaajaa.');
    expect(sealed.includes(Buffer.from('hitsaajaa'))).toBe(false);
    expect(unseal(key!, 'doc-1', sealed)).toBe('Ensi vuonna tarvitaan viisi hitsaajaa.');
    expect(() => unseal(key!, 'doc-2', sealed)).toThrow();
    expect(() => unseal(other!, 'doc-1', sealed)).toThrow();
  });
});
