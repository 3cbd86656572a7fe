import { describe, expect, it } from 'vitest';
import { morphologyFor } from '../../src/analysis/morphology.js';
import { objectEquivalents, verbEquivalents } from '../../src/analysis/label-equivalents.js';

/** Skills with English and Swedish preferred labels only: the parallel labels are all the function reads. */
const skills = (pairs: [string, string][], type: string | null = 'skill/competence') =>
  pairs.map(([en, sv], i) => ({ uri: `s${i}`, type, names: { en, sv, fi: null } as never }));

describe('verbs and objects ESCO translates two ways', () => {
  it('pairs the verbs that each render an English verb often, and no others', () => {
    const data = skills([
      ['replace tyres', 'byta däck'],
      ['replace filters', 'byta filter'],
      ['replace windows', 'byta fönster'],
      ['replace parts', 'ersätta delar'],
      ['replace pipes', 'ersätta rör'],
      ['replace cables', 'ersätta kablar'],
      ['replace seals', 'förnya tätningar'],
      ['inspect roofs', 'inspektera tak'],
      ['inspect pipes', 'inspektera rör'],
      ['inspect cables', 'inspektera kablar'],
    ]);
    const equivalents = verbEquivalents(data, 'sv', morphologyFor('sv'));
    expect(equivalents.get('byta')).toEqual(['ersätta']);
    expect(equivalents.get('ersätta')).toEqual(['byta']);
    // used once for "replace": a translation, not a habit; "inspektera" renders only "inspect"
    expect(equivalents.has('förnya')).toBe(false);
    expect(equivalents.has('inspektera')).toBe(false);
  });

  it('leaves out verbs of fixed expressions and knowledge, which names no verb', () => {
    const data = [
      ...skills([
        ['ensure safety', 'se till säkerhet'],
        ['ensure quality', 'se till kvalitet'],
        ['ensure hygiene', 'se till hygien'],
        ['ensure compliance', 'säkerställa efterlevnad'],
        ['ensure access', 'säkerställa tillgång'],
        ['ensure order', 'säkerställa ordning'],
      ]),
      ...skills(
        [
          ['technical drawings', 'tekniska ritningar'],
          ['technical standards', 'tekniska standarder'],
          ['technical terms', 'tekniska termer'],
          ['technical language', 'tekniskt språk'],
          ['technical English', 'tekniskt engelska'],
          ['technical writing', 'tekniskt skrivande'],
        ],
        'knowledge',
      ),
    ];
    expect(verbEquivalents(data, 'sv', morphologyFor('sv')).size).toBe(0);
  });

  it('gives a label the other ways ESCO words its object, after a verb that is no light verb', () => {
    const data = skills([
      ['repair plumbing systems', 'reparera rörsystem'],
      ['install plumbing systems', 'installera avloppssystem'],
      ['clean plumbing systems', 'rengöra rörsystemen'],
      ['advise on plumbing systems', 'ge råd om vvs'],
      ['operate mining machinery', 'köra gruvmaskiner'],
      ['weld mining machinery', 'svetsa gruvutrustning'],
      ['set up stage lights', 'sätta upp scenljus'],
      ['focus stage lights', 'rikta scenbelysning'],
    ]);
    const objects = objectEquivalents(data, 'sv', morphologyFor('sv'));
    expect(objects.get('s0')).toEqual(['avloppssystem']);
    expect(objects.get('s1')).toEqual(['rörsystem']);
    // "rörsystemen" is "rörsystem" inflected: nothing new for the first, the second's for the third
    expect(objects.get('s2')).toEqual(['avloppssystem']);
    // a light verb would meet the object alone ("råd om vvs" is offered to none); a particle is no object
    expect(objects.has('s3')).toBe(false);
    expect(objects.get('s4')).toEqual(['gruvutrustning']);
    expect(objects.get('s5')).toEqual(['gruvmaskiner']);
    expect(objects.has('s6')).toBe(false);
    expect(objects.has('s7')).toBe(false);
  });
});
