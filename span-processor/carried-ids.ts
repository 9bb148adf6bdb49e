// The ids a request carries in first-party baggage (semconv §7): its distinct fingerprints and
// subjects. Shared by the in-thread processor and the app's thread in analysis-thread mode.
import type { CollectResult } from './engine';

export function carriedIds(res: CollectResult): { fps: string[]; subjects: string[] } {
  return {
    fps: [...new Set(res.tags.map((t) => t.fp))],
    subjects: [...new Set(res.tags.map((t) => t.subject).filter((s): s is string => !!s))],
  };
}
