// The prose of the micro benchmark's LLM prompt, shared with bench/spikes/fused-scan/: ordinary
// customer-support words in a fixed pseudo-random order, with one mention of a person every 400.
const WORDS = 'the customer asked about their order and wanted to know when the package would arrive because they are travelling next week please summarize the conversation and suggest a polite reply that explains the delay and offers a discount code for the next purchase'.split(' ');

/** About `bytes` chars of prose (words joined by single spaces), the same for the same `seed`. */
export function prose(bytes: number, seed: number, mention: string): string {
  const out: string[] = [];
  let n = 0;
  let x = seed;
  while (n < bytes) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const w = WORDS[x % WORDS.length]!;
    out.push(w);
    n += w.length + 1;
    if (out.length % 400 === 200) { out.push(mention); n += mention.length + 1; }
  }
  return out.join(' ');
}
