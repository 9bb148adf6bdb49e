// The engine from a config and a fingerprint key: registry, destination catalog, detector. One
// function, because the app's thread and the analysis thread must build exactly the same engine.
import type { SstConfig } from './config';
import { Engine } from './engine';
import { createDetector } from './detect';
import { createRegistry } from './registry/registry';
import { createCatalog } from './catalog/catalog';

export function buildEngine(cfg: SstConfig, key: Buffer, report: (message: string) => void): Engine {
  const registry = createRegistry({
    key, defaultPhoneRegion: cfg.defaultPhoneRegion,
    ttlSeconds: cfg.registry.ttlSeconds, maxBytes: cfg.registry.maxBytes,
  });
  const catalog = createCatalog({ firstPartyHosts: cfg.firstPartyHosts, ignoredHosts: cfg.ignoredHosts, destinations: cfg.destinations });
  for (const err of catalog.errors) report(`config: ${err}`);
  return new Engine({ cfg, detector: createDetector(cfg), registry, catalog });
}
