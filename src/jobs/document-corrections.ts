import { normalizeText } from '../analysis/text.js';
import type { Analysis } from '../domain/analysis.js';
import { correctionOf, type Correction, type StoredCorrection } from '../domain/correction.js';
import type { NewDocument } from '../domain/document.js';
import { analysisRows } from '../storage/analysis-rows.js';
import type { ConceptsRepository } from '../storage/concepts.repository.js';
import type { CorrectionsRepository } from '../storage/corrections.repository.js';
import type { DocumentsRepository, StoredDocument } from '../storage/documents.repository.js';
import type { AnalysisService } from './analysis-service.js';

/** A correction the document refuses: which one (its index in the request), which field and why. */
export class CorrectionRefusedError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CorrectionRefusedError';
  }
}

/** The analysis input of a stored or new document (as the analysis job builds it). */
export function analysisInputOf(doc: NewDocument & { createdAt?: Date }, corrections: Correction[]) {
  return {
    text: doc.text,
    title: doc.title,
    language: doc.language,
    employerSector: doc.employer?.sector,
    kind: doc.kind,
    date: doc.date ?? (doc.createdAt ?? new Date()).toISOString().slice(0, 10),
    region: doc.region,
    vacancies: doc.vacancies,
    horizon: doc.horizon,
    ...(corrections.length > 0 && { corrections }),
  };
}

/**
 * Where each correction may be in the text: inside it, words rather than nothing, except the empty span 0–0 with
 * which a removal or change names a job ad's own occupation. Throws CorrectionRefusedError for the first that is not.
 */
export function checkSpans(text: string, corrections: Correction[]): void {
  const length = normalizeText(text).length;
  corrections.forEach((c, i) => {
    if (c.end > length)
      throw new CorrectionRefusedError(`corrections.${i}.end`, `end ${c.end} is past the text (${length} characters)`);
    if (c.start > c.end)
      throw new CorrectionRefusedError(`corrections.${i}.start`, `start ${c.start} is after end ${c.end}`);
    const whole = c.start === 0 && c.end === 0 && c.concept === 'occupation' && c.action !== 'add';
    if (c.start === c.end && !whole)
      throw new CorrectionRefusedError(
        `corrections.${i}.end`,
        'a correction names words of the text: end must be after start (0–0 only for a job ad’s own occupation)',
      );
    if (!whole && !/\S/u.test(normalizeText(text).slice(c.start, c.end)))
      throw new CorrectionRefusedError(`corrections.${i}.start`, `characters ${c.start}–${c.end} are blank`);
  });
}

/** Throws CorrectionRefusedError for the first addition naming a skill or occupation the taxonomy lacks. */
export async function checkConcepts(concepts: ConceptsRepository, added: Correction[]): Promise<void> {
  const uris = (concept: Correction['concept']) =>
    added.filter((c) => c.action === 'add' && c.concept === concept).map((c) => c.uri);
  const known = await concepts.labelsOf('en', {
    skills: uris('skill'),
    occupations: uris('occupation'),
    isco: [],
    sectors: [],
  });
  added.forEach((c, i) => {
    const found = c.concept === 'skill' ? known.skills.has(c.uri) : known.occupations.has(c.uri);
    if (c.action === 'add' && !found)
      throw new CorrectionRefusedError(`corrections.${i}.uri`, `the taxonomy has no ${c.concept} ${c.uri}`);
  });
}

/** The corrections being made in this process, by document: each waits for the one before. */
const running = new Map<string, Promise<unknown>>();

/**
 * Corrections of stored documents: each is checked against the document's analysis, stored, and the document's
 * analysis saved again with every correction over the machine's reading, so that the aggregates show the
 * corrected reading at once. One document's corrections are made one at a time in this process.
 */
export class DocumentCorrections {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly corrections: CorrectionsRepository,
    private readonly concepts: ConceptsRepository,
  ) {}

  /** The analysis of `doc` with its stored corrections and `added` ones, which must each apply. */
  async analyse(
    analyzer: AnalysisService,
    doc: NewDocument & { createdAt?: Date },
    stored: StoredCorrection[],
    added: Correction[],
  ): Promise<Analysis> {
    checkSpans(doc.text, added);
    await checkConcepts(this.concepts, added);
    const analysis = await analyzer.analyzeFull(analysisInputOf(doc, [...stored.map(correctionOf), ...added]));
    const outcome = analysis.corrections ?? [];
    added.forEach((c, i) => {
      if (!outcome[stored.length + i]?.applied)
        throw new CorrectionRefusedError(
          `corrections.${i}`,
          `the analysis has no ${c.concept} ${c.uri} at characters ${c.start}–${c.end} to ${c.action}`,
        );
    });
    return analysis;
  }

  /** Adds corrections to a stored document and saves its corrected analysis; the corrections stored. */
  add(
    analyzer: AnalysisService,
    doc: StoredDocument,
    by: { orgId: string; keyId: string },
    added: Correction[],
  ): Promise<{ analysis: Analysis; added: StoredCorrection[] }> {
    return this.exclusive(doc.id, async () => {
      const stored = await this.corrections.of(doc.id);
      const analysis = await this.analyse(analyzer, doc, stored, added);
      const made = await this.corrections.add(doc.id, by.orgId, by.keyId, added);
      await this.documents.saveRows(doc.id, analysisRows(analysis));
      return { analysis, added: made };
    });
  }

  /** Withdraws a correction and saves the document's analysis without it; false when the document has no such one. */
  withdraw(analyzer: AnalysisService, doc: StoredDocument, correctionId: string): Promise<boolean> {
    return this.exclusive(doc.id, async () => {
      if (!(await this.corrections.remove(doc.id, correctionId))) return false;
      const rest = await this.corrections.of(doc.id);
      const analysis = await analyzer.analyzeFull(analysisInputOf(doc, rest.map(correctionOf)));
      await this.documents.saveRows(doc.id, analysisRows(analysis));
      return true;
    });
  }

  /** Stores a new document's corrections and its analysis made with them (analyse). */
  async saveNew(id: string, by: { orgId: string; keyId: string }, added: Correction[], analysis: Analysis) {
    return this.exclusive(id, async () => {
      await this.corrections.add(id, by.orgId, by.keyId, added);
      await this.documents.saveRows(id, analysisRows(analysis));
    });
  }

  private async exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const before = running.get(id) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(work);
    running.set(id, mine);
    try {
      return await mine;
    } finally {
      if (running.get(id) === mine) running.delete(id);
    }
  }
}
