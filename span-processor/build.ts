// The engine from a config and a fingerprint key: registry, destination catalog, detector. One
// function, because the app's thread and the analysis thread must build exactly the same engine.
// The catalog can be built on its own (the capture hooks and the propagator need only it).
import type { SstConfig } from './config';
import { Engine } from './engine';
import { createDetector } from './detect';
import { createRegistry } from './registry/registry';
import { createCatalog, type Catalog } from './catalog/catalog';

export function buildCatalog(cfg: SstConfig, report: (message: string) => void): Catalog {
  const catalog = createCatalog({ firstPartyHosts: cfg.firstPartyHosts, ignoredHosts: cfg.ignoredHosts, destinations: cfg.destinations });
  for (const err of catalog.errors) report(`config: ${err}`);
  return catalog;
}

export function buildEngine(cfg: SstConfig, key: Buffer, report: (message: string) => void, catalog = buildCatalog(cfg, report)): Engine {
  const registry = createRegistry({
    key, defaultPhoneRegion: cfg.defaultPhoneRegion,
    ttlSeconds: cfg.registry.ttlSeconds, maxBytes: cfg.registry.maxBytes,
  });
  return new Engine({ cfg, detector: createDetector(cfg), registry, catalog });
}
