import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issuedRef, seal, unseal } from '../../src/storage/document-keys.js';
import { testKeys } from '../helpers/context.js';

describe('document keys', () => {
  it('keeps each key in its segment until destroyed, then zeros it in place', async () => {
    const keys = await testKeys();
    const issued = await keys.issue(3);
    expect(issued.first).toBe(0);
    expect(issued.keys.map((k) => k.length)).toEqual([32, 32, 32]);
    const refs = [0, 1, 2].map((i) => issuedRef(issued, i));
    expect(await keys.keys(refs)).toEqual(issued.keys);
    // the next write appends to the same segment
    const next = await keys.issue(2);
    expect(next).toMatchObject({ segment: issued.segment, first: 3 });

    await keys.destroy([refs[1]!]);
    expect(await keys.keys(refs)).toEqual([issued.keys[0], undefined, issued.keys[2]]);
    const file = readFileSync(join(keys.dir, `${issued.segment}.keys`));
    expect(file.length).toBe(5 * 32);
    expect(file.subarray(32, 64).every((b) => b === 0)).toBe(true);
    expect(file.indexOf(issued.keys[1]!)).toBe(-1);
  });

  it('removes a full segment once every key in it is destroyed, and starts a new one when a write does not fit', async () => {
    const keys = await testKeys();
    const big = await keys.issue(5000); // more than a segment holds: a segment of its own, full
    const after = await keys.issue(1);
    expect(after.segment).not.toBe(big.segment);
    await keys.destroy(big.keys.slice(0, 4999).map((_, i) => issuedRef(big, i)));
    expect(existsSync(join(keys.dir, `${big.segment}.keys`))).toBe(true);
    await keys.destroy([issuedRef(big, 4999)]);
    expect(existsSync(join(keys.dir, `${big.segment}.keys`))).toBe(false);
    // a segment not yet full stays, to take the next keys
    await keys.destroy([issuedRef(after, 0)]);
    expect(existsSync(join(keys.dir, `${after.segment}.keys`))).toBe(true);
  });

  it('reads no key for a malformed or unknown place', async () => {
    const keys = await testKeys();
    const issued = await keys.issue(2);
    expect(await keys.key({ segment: '../../etc/passwd', slot: 0 })).toBeUndefined();
    expect(await keys.key({ segment: `${'a'.repeat(24)}-4096`, slot: 0 })).toBeUndefined();
    expect(await keys.key({ segment: issued.segment, slot: 2 })).toBeUndefined();
    expect(await keys.key({ segment: issued.segment, slot: -1 })).toBeUndefined();
    expect(await keys.key({ segment: issued.segment, slot: 1 })).toEqual(issued.keys[1]);
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
