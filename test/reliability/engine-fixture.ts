// An Engine wired as buildSdk wires it (detector, registry, catalog), without OpenTelemetry, for
// tests that drive detection and matching with hostile input in-process.
import { defaultConfig } from '../../span-processor/config';
import { Engine } from '../../span-processor/engine';
import { createDetector } from '../../span-processor/detect';
import { createRegistry } from '../../span-processor/registry/registry';
import { createCatalog } from '../../span-processor/catalog/catalog';
import { createScrubber, type Scrubber } from '../../span-processor/scrub';
import type { BodyCapture, EgressCapture, IngressCapture } from '../../span-processor/types';

export const TEST_KEY = Buffer.from('reliability-test-key-0123456789', 'utf8');

export function engine(): { engine: Engine; scrubber: Scrubber } {
  const cfg = defaultConfig();
  const registry = createRegistry({ key: TEST_KEY, defaultPhoneRegion: cfg.defaultPhoneRegion, ttlSeconds: cfg.registry.ttlSeconds, maxBytes: cfg.registry.maxBytes });
  const catalog = createCatalog({ firstPartyHosts: [], ignoredHosts: [], destinations: [] });
  const e = new Engine({ cfg, detector: createDetector(cfg), registry, catalog });
  return { engine: e, scrubber: createScrubber(registry, e.matchOptions, false) };
}

export function body(bytes: Buffer, limit = 1024 * 1024): BodyCapture {
  const b = bytes.subarray(0, limit);
  return { chunks: [b], bytes: b.length, truncated: bytes.length > limit, complete: true };
}

export function ingress(target: string, headers: Record<string, string>, bytes: Buffer): IngressCapture {
  return { kind: 'ingress', method: 'POST', target, headers, clientIp: '203.0.113.7', body: body(bytes) };
}

export function egress(url: string, headers: Record<string, string>, bytes: Buffer): EgressCapture {
  const host = new URL(url).hostname;
  return { kind: 'egress', method: 'POST', url, host, headers, body: body(bytes) };
}
