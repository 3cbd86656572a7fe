import koffi from 'koffi';

/** One reading of a Finnish word by Voikko. */
export interface VoikkoReading {
  baseform: string;
  wordClass: string;
  /** a verb's mood: "indicative", "conditional", "A-infinitive", "MINEN-infinitive" …; empty for other words */
  mood: string;
  /** "+hitsa(hitsata)+us(+us)+laite(laite)": morphemes with their lemmas, derivations and compound parts */
  wordbases: string;
  /** a noun's case: "nimento", "omanto" (genitive) …; empty for other words */
  case: string;
  /** a finite verb's person: "1", "2", "3", "4" (passive); empty for other words */
  person: string;
}

export class VoikkoUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `Finnish morphology (Voikko) is not available: ${reason}. Install it with: apt-get install -y libvoikko1 voikko-fi`,
    );
    this.name = 'VoikkoUnavailableError';
  }
}

interface VoikkoLib {
  analyze(word: string): VoikkoReading[];
  close(): void;
}

let shared: VoikkoLib | undefined;

/** Opens libvoikko with the Finnish dictionary once per process (through the koffi FFI). */
export function openVoikko(): VoikkoLib {
  if (shared) return shared;
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load('libvoikko.so.1');
  } catch (err) {
    throw new VoikkoUnavailableError((err as Error).message);
  }
  koffi.opaque('VoikkoHandle');
  const init = lib.func('VoikkoHandle* voikkoInit(_Out_ const char** error, const char* langcode, const char* path)');
  const terminate = lib.func('void voikkoTerminate(VoikkoHandle* handle)');
  const analyzeWord = lib.func('void** voikkoAnalyzeWordCstr(VoikkoHandle* handle, const char* word)');
  const valueOf = lib.func('void* voikko_mor_analysis_value_cstr(void* analysis, const char* key)');
  const freeValue = lib.func('void voikko_free_mor_analysis_value_cstr(void* value)');
  const freeAnalyses = lib.func('void voikko_free_mor_analysis(void** analyses)');
  const error: [string | null] = [null];
  const handle: unknown = init(error, 'fi', null);
  if (!handle) throw new VoikkoUnavailableError(error[0] ?? 'voikkoInit failed (is voikko-fi installed?)');

  const read = (analysis: unknown, key: string): string => {
    const ptr: unknown = valueOf(analysis, key);
    if (!ptr) return '';
    const value = koffi.decode(ptr, 'char', -1) as string;
    freeValue(ptr);
    return value;
  };
  shared = {
    analyze(word: string): VoikkoReading[] {
      const analyses: unknown = analyzeWord(handle, word);
      if (!analyses) return [];
      const readings: VoikkoReading[] = [];
      try {
        for (let i = 0; ; i++) {
          const analysis: unknown = koffi.decode(analyses, i * koffi.sizeof('void*'), 'void*');
          if (!analysis) break;
          readings.push({
            baseform: read(analysis, 'BASEFORM'),
            wordClass: read(analysis, 'CLASS'),
            mood: read(analysis, 'MOOD'),
            wordbases: read(analysis, 'WORDBASES'),
            case: read(analysis, 'SIJAMUOTO'),
            person: read(analysis, 'PERSON'),
          });
        }
      } finally {
        freeAnalyses(analyses);
      }
      return readings;
    },
    close() {
      terminate(handle);
      shared = undefined;
    },
  };
  return shared;
}
