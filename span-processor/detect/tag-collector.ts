// Collects tagged values for one request: deduplicated by (category, field, value), capped.
import type { TaggedValue } from '../types';

export const DEFAULT_MAX_VALUES = 256;

export class TagCollector {
  readonly values: TaggedValue[] = [];
  /** More values were found than the cap allows. */
  capped = false;
  private readonly seen = new Set<string>();

  constructor(private readonly max: number = DEFAULT_MAX_VALUES) {}

  get full(): boolean {
    return this.values.length >= this.max;
  }

  /** False when the value was a duplicate or the cap is reached. */
  add(category: string, field: string, value: string, region?: string): boolean {
    const id = `${category}\u0000${field}\u0000${value}`;
    if (this.seen.has(id)) return false;
    if (this.full) {
      this.capped = true;
      return false;
    }
    this.seen.add(id);
    this.values.push(region ? { category, field, value, region } : { category, field, value });
    return true;
  }
}
