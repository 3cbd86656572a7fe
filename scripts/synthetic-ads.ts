/**
 * Synthetic job ads in Finnish, Swedish and English, about 2,000 characters each, written for benchmarks.
 * Deterministic (seeded), built from phrase lists of this file: nothing is copied from real ads.
 */
import { seededRandom } from '../src/base/random.js';
export type Lang = 'fi' | 'sv' | 'en';

const PHRASES: Record<Lang, { intro: string[]; skills: string[]; filler: string[] }> = {
  fi: {
    intro: [
      'Etsimme kokenutta hitsaajaa konepajaamme Hämeenlinnaan.',
      'Haemme lähihoitajaa kotihoidon tiimiin Lahteen.',
      'Tule meille myyjäksi Tampereen myymäläämme!',
      'Rekrytoimme ohjelmistokehittäjää Helsingin toimistollemme.',
      'Etsimme varastotyöntekijää logistiikkakeskukseemme Keravalle.',
    ],
    skills: [
      'Edellytämme MIG-hitsauksen osaamista ja hitsauslaitteiden hallintaa.',
      'Tehtäviisi kuuluu tuotteiden myynti ja asiakkaiden neuvonta.',
      'Arvostamme kokemusta asiakaspalvelusta ja kassatyöskentelystä.',
      'Työ sisältää lääkehoitoa, asiakkaiden avustamista ja kirjaamista.',
      'Hallitset Python-ohjelmoinnin ja tietokantojen suunnittelun.',
      'Trukkikortti ja kokemus trukin käytöstä katsotaan eduksi.',
      'Osaat lukea teknisiä piirustuksia ja mitata kappaleita.',
      'Vastaat koneiden huollosta ja kunnossapidosta.',
      'Tehtäviin kuuluu projektinhallinta ja budjetin seuranta.',
      'Ruoanvalmistus ja hygieniapassi ovat eduksi.',
    ],
    filler: [
      'Tarjoamme monipuolisen työn hyvässä työyhteisössä.',
      'Työ on vakituinen ja kokoaikainen, ja se alkaa sopimuksen mukaan.',
      'Palkkaus määräytyy työehtosopimuksen mukaisesti.',
      'Lisätietoja tehtävästä antaa tuotantopäällikkö arkisin kello 9–15.',
      'Hakemukset käsitellään saapumisjärjestyksessä, joten toimi nopeasti.',
      'Meillä on käytössä liikunta- ja kulttuurietu sekä työterveyshuolto.',
      'Perehdytämme sinut huolellisesti tehtävään.',
    ],
  },
  sv: {
    intro: [
      'Vi söker en erfaren svetsare till vår verkstad i Vasa.',
      'Vi söker en närvårdare till hemvården i Borgå.',
      'Bli vår nya säljare i butiken i Åbo!',
      'Vi rekryterar en mjukvaruutvecklare till vårt kontor i Helsingfors.',
    ],
    skills: [
      'Du behärskar MIG-svetsning och använder svetsningsutrustning säkert.',
      'I arbetet ingår att sälja produkter och ge kundservice.',
      'Du har erfarenhet av kundservice och kassaarbete.',
      'Truckkort och erfarenhet av att köra gaffeltruck är meriterande.',
      'Du programmerar i Python och har kunskaper i databaser.',
      'Du ansvarar för underhåll av maskiner.',
      'Projektledning och budgetuppföljning ingår i uppgifterna.',
    ],
    filler: [
      'Vi erbjuder ett omväxlande arbete i en trevlig arbetsgemenskap.',
      'Arbetet är fast och på heltid med start enligt överenskommelse.',
      'Lönen bestäms enligt kollektivavtalet.',
      'Mer information ger produktionschefen vardagar klockan 9–15.',
      'Ansökningarna behandlas i den ordning de kommer in.',
    ],
  },
  en: {
    intro: [
      'We are looking for an experienced welder for our workshop in Tampere.',
      'We are hiring a practical nurse for our home care team in Espoo.',
      'Join us as a sales assistant in our store in Oulu!',
      'We are recruiting a software developer for our Helsinki office.',
    ],
    skills: [
      'You have solid welding skills and can operate welding equipment.',
      'Your tasks include selling products and customer service.',
      'Experience in customer care and cash handling is an advantage.',
      'A forklift licence and the ability to drive a forklift are required.',
      'You are fluent in Python programming and database design.',
      'You are responsible for the maintenance of machinery.',
      'Project management and budget monitoring are part of the role.',
      'You can read technical drawings and measure parts.',
    ],
    filler: [
      'We offer varied work in a friendly team.',
      'The position is permanent and full-time, starting by agreement.',
      'Salary is set according to the collective agreement.',
      'For more information, contact the production manager on weekdays from 9 to 15.',
      'Applications are processed as they arrive, so act quickly.',
    ],
  },
};

/** The seeded PRNG every synthetic set is built with: the same seed, the same ads. */
export const rng = seededRandom;

export function syntheticAd(lang: Lang, random: () => number, targetChars = 2_000): string {
  const p = PHRASES[lang];
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  const parts = [pick(p.intro)];
  let length = parts[0]!.length;
  while (length < targetChars) {
    const sentence = random() < 0.45 ? pick(p.skills) : pick(p.filler);
    parts.push(sentence);
    length += sentence.length + 1;
  }
  return parts.join(random() < 0.3 ? '\n' : ' ');
}

export function syntheticAds(n: number, seed = 42, targetChars = 2_000): { lang: Lang; text: string }[] {
  const random = rng(seed);
  const langs: Lang[] = ['fi', 'fi', 'sv', 'en'];
  return Array.from({ length: n }, (_, i) => {
    const lang = langs[i % langs.length]!;
    return { lang, text: syntheticAd(lang, random, targetChars) };
  });
}
