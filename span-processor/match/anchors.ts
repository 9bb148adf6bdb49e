// Position anchors in free text (vendors.md: amounts only count "with a field-name or position
// anchor"). A prompt says whose number it is in words: "my annual income is $120,000", "she earns
// 87.500 €", "Hi, I'm Jane". The words right before the value stand in for the field name a JSON
// payload would have, so an income or a lone first name in an LLM prompt counts without the
// person's email next to it. Only the few characters before the hit are looked at.

/** Characters before a hit searched for an anchor. */
const WINDOW = 48;
// Ends at the hit: the anchor word, then at most a few short words and a currency sign.
const INCOME_BEFORE = /\b(?:income|salary|salaries|earn|earns|earned|earning|earnings|wage|wages|paycheck|compensation|make|makes|paid)\b[^.!?\n]{0,32}$/i;
const NAME_BEFORE = /(?:\bI'?m|\bI am|\bmy name is|\bname(?: is)?\s*:?|\bcalled|\bthis is)\s{1,3}$/i;

/** True when the words before `start` in `text` say that the value there is a `category`. */
export function anchoredBefore(text: string, start: number, category: string): boolean {
  if (category !== 'income' && category !== 'name') return false;
  if (start <= 0) return false;
  const before = text.slice(Math.max(0, start - WINDOW), start);
  return category === 'income' ? INCOME_BEFORE.test(before) : NAME_BEFORE.test(before);
}
