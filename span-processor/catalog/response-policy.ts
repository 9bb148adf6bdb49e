// Which outgoing calls get their response copied: LLM calls only (usage and the completion are read
// from it). Asked by the capture hooks at every response head, on the app's thread, so it needs
// only the catalog (not the engine) and stays cheap for every other call.
import type { Catalog } from './catalog';
import { looksLikeLlmRequest } from './catalog';
import type { LlmShape } from './llm-shape';
import type { Destination, EgressCapture } from '../types';
import { bodyBytes } from '../../instrumentation/capture/body-copy';

/** Classify the destination of an outgoing call; null when the host is ignored by config. */
export function destinationOf(catalog: Catalog, capture: EgressCapture, path: string): Destination | null {
  if (catalog.isIgnored(capture.host)) return null;
  return catalog.classify(capture.host, path);
}

/** The LLM shape of a call to `destination`, or null: LLM hosts of the catalog, unknown hosts and
 *  first-party (self-hosted) ones, when path or body look like an LLM API. */
export function llmShapeOf(destination: Destination, capture: EgressCapture, path: string): LlmShape | null {
  if (destination.kind !== 'llm' && destination.vendor !== 'unknown' && destination.vendor !== 'internal') return null;
  return looksLikeLlmRequest(path, capture.body.bytes ? bodyBytes(capture.body) : undefined);
}

/** Whether the response of this call is copied. */
export function wantsResponse(catalog: Catalog, capture: EgressCapture): boolean {
  try {
    const path = fastPathOf(capture.url);
    const destination = destinationOf(catalog, capture, path);
    return destination !== null && llmShapeOf(destination, capture, path) !== null;
  } catch {
    return false;
  }
}

/** The path of an absolute URL without a URL parse (runs on the app's path, per response head);
 *  percent-encoding is left as sent, which the LLM path rule does not care about. */
export function fastPathOf(url: string): string {
  if (typeof url !== 'string') return '/';
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  if (start < 0) return '/';
  let end = url.length;
  const q = url.indexOf('?', start);
  if (q >= 0) end = q;
  const h = url.indexOf('#', start);
  if (h >= 0 && h < end) end = h;
  return url.slice(start, end);
}
