// Gender words → the one-letter codes vendors hash (`f`/`m` for Meta and Snap, plus `n` for Pinterest).

const TABLE: ReadonlyArray<readonly [string, string]> = [
  ['f', 'f|female|woman|women|girl|w|weiblich|frau|femme|feminin|feminine|mujer|femenino|femenina|feminino|' +
    'mulher|donna|femmina|vrouw|kobieta|kvinna|kvinde|kvinne|nainen|ms|mrs|miss'],
  ['m', 'm|male|man|men|boy|mannlich|maennlich|mann|homme|masculin|hombre|masculino|homem|uomo|maschio|' +
    'mezczyzna|mężczyzna|man|mr'],
  ['n', 'n|x|d|nb|non binary|nonbinary|non-binary|enby|divers|diverse|other|nicht binar|non binaire|' +
    'no binario|nao binario|non binario|genderqueer|agender'],
];

const WORDS = new Map<string, string>();
for (const [code, words] of TABLE) for (const w of words.split('|')) WORDS.set(w, code);

const ACCENTS = /[\u0300-\u036f]/g;
const SEPARATORS = /[\s_.-]+/g;

/** `f`, `m`, `n`, or undefined for a word outside the table. */
export function genderCode(text: string): string | undefined {
  const lower = text.trim().toLowerCase();
  const direct = WORDS.get(lower);
  if (direct) return direct;
  const k = lower.normalize('NFD').replace(ACCENTS, '').replace(SEPARATORS, ' ').trim();
  return WORDS.get(k) ?? WORDS.get(k.replace(SEPARATORS, ''));
}
