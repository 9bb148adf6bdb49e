// The prose of the micro benchmark's LLM prompts, shared with bench/spikes/fused-scan/: ordinary
// customer-support words in a fixed pseudo-random order, with one mention of a person every 400.
const WORDS = 'the customer asked about their order and wanted to know when the package would arrive because they are travelling next week please summarize the conversation and suggest a polite reply that explains the delay and offers a discount code for the next purchase'.split(' ');

/** The same support request in German: umlauts and ß, and nouns capitalized (phrase starts). */
export const GERMAN = 'der Kunde fragte nach seiner Bestellung und wollte wissen wann das Paket ankommt weil er nächste Woche verreist bitte fasse das Gespräch zusammen und schlage eine höfliche Antwort vor die die Verzögerung erklärt und einen Rabattcode für den nächsten Einkauf anbietet Grüße'.split(' ');

/** About `bytes` chars of prose (words joined by single spaces), the same for the same `seed`. */
export function prose(bytes: number, seed: number, mention: string, words: readonly string[] = WORDS): string {
  const out: string[] = [];
  let n = 0;
  let x = seed;
  while (n < bytes) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const w = words[x % words.length]!;
    out.push(w);
    n += w.length + 1;
    if (out.length % 400 === 200) { out.push(mention); n += mention.length + 1; }
  }
  return out.join(' ');
}

/** About `chars` chars of Japanese: sentences without spaces, one mention every 50 sentences. */
export function japanese(chars: number, mention: string): string {
  const sentences = ['お客様は注文について問い合わせました。', '荷物がいつ届くか知りたいそうです。', '来週旅行に行くためです。', '会話を要約して丁寧な返信を提案してください。'];
  let s = '';
  for (let k = 0; s.length < chars; k++) {
    s += sentences[k % sentences.length];
    if (k % 50 === 49) s += ` ${mention} `;
  }
  return s;
}
