-- SST layer on top of the exporter's otel_traces (semconv §8). Everything here is additive and
-- idempotent, so it can be applied to a table the OpenTelemetry Collector created:
--   * MATERIALIZED columns parse the `sst.*` span attributes (stored by the exporter as text,
--     arrays as JSON text) once at insert. On parts written before this ALTER, ClickHouse computes
--     them on read from SpanAttributes, so old collector data is covered without a rewrite.
--   * The exporter's INSERT names its 22 columns, so extra MATERIALIZED columns never break it.
--   * Per-fingerprint category, field and transform come from the `sst.tag` / `sst.match` events
--     (SstEvents, taken from the Events maps). The views read these columns only, so a subject
--     lookup touches a few small columns of a few granules, never the attribute maps.
-- Placeholders: {{database}} {{table}} (quoted identifiers), {{cluster}}.

ALTER TABLE {{database}}.{{table}} {{cluster}}
    ADD COLUMN IF NOT EXISTS SstFlow LowCardinality(String) MATERIALIZED SpanAttributes['sst.flow'],
    ADD COLUMN IF NOT EXISTS SstCategories Array(LowCardinality(String)) MATERIALIZED CAST(JSONExtract(SpanAttributes['sst.categories'], 'Array(String)'), 'Array(LowCardinality(String))'),
    ADD COLUMN IF NOT EXISTS SstFingerprints Array(String) MATERIALIZED JSONExtract(SpanAttributes['sst.fingerprints'], 'Array(String)'),
    -- Category per fingerprint (aligned with SstFingerprints), present only when the events were capped.
    ADD COLUMN IF NOT EXISTS SstFingerprintCategories Array(String) MATERIALIZED JSONExtract(SpanAttributes['sst.fingerprint_categories'], 'Array(String)'),
    ADD COLUMN IF NOT EXISTS SstSubjects Array(String) MATERIALIZED JSONExtract(SpanAttributes['sst.subjects'], 'Array(String)'),
    ADD COLUMN IF NOT EXISTS SstFields Array(String) MATERIALIZED JSONExtract(SpanAttributes['sst.fields'], 'Array(String)'),
    ADD COLUMN IF NOT EXISTS SstTransforms Array(LowCardinality(String)) MATERIALIZED CAST(JSONExtract(SpanAttributes['sst.transforms'], 'Array(String)'), 'Array(LowCardinality(String))'),
    ADD COLUMN IF NOT EXISTS SstDestinationHost LowCardinality(String) MATERIALIZED SpanAttributes['sst.destination.host'],
    ADD COLUMN IF NOT EXISTS SstDestinationVendor LowCardinality(String) MATERIALIZED SpanAttributes['sst.destination.vendor'],
    ADD COLUMN IF NOT EXISTS SstDestinationKind LowCardinality(String) MATERIALIZED SpanAttributes['sst.destination.kind'],
    ADD COLUMN IF NOT EXISTS SstThirdParty Bool MATERIALIZED SpanAttributes['sst.destination.third_party'] = 'true',
    ADD COLUMN IF NOT EXISTS SstMatchCount UInt32 MATERIALIZED toUInt32OrZero(SpanAttributes['sst.match.count']),
    ADD COLUMN IF NOT EXISTS SstTruncated Bool MATERIALIZED SpanAttributes['sst.truncated'] = 'true',
    ADD COLUMN IF NOT EXISTS SstError String MATERIALIZED SpanAttributes['sst.error'],
    -- Where the data went or came from: the host for a share, db/namespace/collection for store and
    -- load, `METHOD route` for a collect. Materialized so lookups need not read the attribute maps.
    ADD COLUMN IF NOT EXISTS SstTarget LowCardinality(String) MATERIALIZED multiIf(
            SpanAttributes['sst.flow'] = 'share', SpanAttributes['sst.destination.host'],
            SpanAttributes['sst.flow'] IN ('store', 'load'), arrayStringConcat(arrayFilter(x -> x != '', [
                if(SpanAttributes['db.system.name'] != '', SpanAttributes['db.system.name'], SpanAttributes['db.system']),
                if(SpanAttributes['db.namespace'] != '', SpanAttributes['db.namespace'], SpanAttributes['db.name']),
                if(SpanAttributes['db.collection.name'] != '', SpanAttributes['db.collection.name'], SpanAttributes['db.sql.table'])]), '/'),
            trimBoth(concat(
                if(SpanAttributes['http.request.method'] != '', SpanAttributes['http.request.method'], SpanAttributes['http.method']), ' ',
                multiIf(SpanAttributes['http.route'] != '', SpanAttributes['http.route'],
                        SpanAttributes['url.path'] != '', SpanAttributes['url.path'],
                        splitByChar('?', SpanAttributes['http.target'])[1])))
        ),
    -- The sst.tag / sst.match events as small tuples: which value, category, field and transform.
    ADD COLUMN IF NOT EXISTS SstEvents Array(Tuple(fingerprint String, category LowCardinality(String), field String, transform LowCardinality(String))) MATERIALIZED
        arrayMap(a -> (a['sst.fingerprint'], a['sst.category'], a['sst.field'], a['sst.transform']), arrayFilter(a -> a['sst.fingerprint'] != '', Events.Attributes)),
    -- Subject lookups (`sst lineage`) read a few granules instead of the whole table.
    ADD INDEX IF NOT EXISTS idx_sst_fingerprints SstFingerprints TYPE bloom_filter(0.01) GRANULARITY 1,
    ADD INDEX IF NOT EXISTS idx_sst_flow SstFlow TYPE set(8) GRANULARITY 1;

-- One row per span that carries personal data (any flow).
CREATE OR REPLACE VIEW {{database}}.sst_flows {{cluster}} AS
SELECT
    Timestamp,
    TraceId,
    SpanId,
    ParentSpanId,
    ServiceName,
    SpanName,
    SpanKind,
    StatusCode,
    Duration,
    SstFlow AS Flow,
    SstCategories AS Categories,
    SstFingerprints AS Fingerprints,
    SstSubjects AS Subjects,
    SstFields AS Fields,
    SstTransforms AS Transforms,
    SstDestinationHost AS DestinationHost,
    SstDestinationVendor AS DestinationVendor,
    SstDestinationKind AS DestinationKind,
    SstThirdParty AS ThirdParty,
    SstMatchCount AS MatchCount,
    SstTruncated AS Truncated,
    SstError AS DetectionError,
    SstTarget AS Target,
    SstEvents AS FingerprintEvents,
    SstFingerprintCategories AS FingerprintCategories
FROM {{database}}.{{table}}
WHERE SstFlow != '';

-- One row per share span: personal data that left the process.
CREATE OR REPLACE VIEW {{database}}.sst_shares {{cluster}} AS
SELECT
    Timestamp,
    TraceId,
    SpanId,
    ServiceName,
    SpanName,
    SstDestinationHost AS DestinationHost,
    SstDestinationVendor AS DestinationVendor,
    SstDestinationKind AS DestinationKind,
    SstThirdParty AS ThirdParty,
    SstCategories AS Categories,
    SstFingerprints AS Fingerprints,
    SstSubjects AS Subjects,
    SstFields AS Fields,
    SstTransforms AS Transforms,
    SstMatchCount AS MatchCount,
    SstTruncated AS Truncated,
    if(SpanAttributes['http.request.method'] != '', SpanAttributes['http.request.method'], SpanAttributes['http.method']) AS HttpMethod,
    if(SpanAttributes['url.full'] != '', SpanAttributes['url.full'], SpanAttributes['http.url']) AS Url,
    StatusCode
FROM {{database}}.{{table}}
WHERE SstFlow = 'share';

-- One row per fingerprint × span: which value a span carried, with its category, fields and
-- transforms taken from the span's sst.tag/sst.match events (when the events were capped,
-- sst.truncated, the span's categories stand in).
CREATE OR REPLACE VIEW {{database}}.sst_fingerprint_flows {{cluster}} AS
SELECT
    Timestamp,
    TraceId,
    SpanId,
    ServiceName,
    SpanName,
    Flow,
    Target,
    DestinationHost,
    DestinationVendor,
    DestinationKind,
    ThirdParty,
    Fingerprints,
    Fingerprint,
    has(Subjects, Fingerprint) AS IsSubject,
    arrayFilter(e -> e.fingerprint = Fingerprint, FingerprintEvents) AS FpEvents,
    -- Without an event for this value (the span's events were capped): its category from
    -- sst.fingerprint_categories, else (older data) every category of the span.
    if(empty(FpEvents),
       if(length(FingerprintCategories) = length(Fingerprints) AND FingerprintCategories[indexOf(Fingerprints, Fingerprint)] != '',
          [FingerprintCategories[indexOf(Fingerprints, Fingerprint)]], SpanCategories),
       arrayDistinct(arrayMap(e -> toString(e.category), FpEvents))) AS Categories,
    arrayDistinct(arrayFilter(x -> x != '', arrayMap(e -> e.field, FpEvents))) AS Fields,
    arrayDistinct(arrayFilter(x -> x != '', arrayMap(e -> toString(e.transform), FpEvents))) AS Transforms
FROM (SELECT *, CAST(Categories, 'Array(String)') AS SpanCategories FROM {{database}}.sst_flows)
ARRAY JOIN Fingerprints AS Fingerprint;

-- One row per fingerprint × flow × service × destination: the path of each value through the
-- system, first and last time seen.
CREATE OR REPLACE VIEW {{database}}.sst_lineage {{cluster}} AS
SELECT
    Fingerprint,
    Flow,
    ServiceName,
    Target,
    DestinationHost,
    DestinationVendor,
    DestinationKind,
    ThirdParty,
    min(Timestamp) AS FirstSeen,
    max(Timestamp) AS LastSeen,
    count() AS Spans,
    uniqExact(TraceId) AS Traces,
    arraySort(groupUniqArrayArray(Categories)) AS Categories,
    arraySort(groupUniqArrayArray(Fields)) AS Fields,
    arraySort(groupUniqArrayArray(Transforms)) AS Transforms,
    max(IsSubject) AS IsSubject,
    arraySort(groupUniqArray(16)(TraceId)) AS SampleTraceIds
FROM {{database}}.sst_fingerprint_flows
GROUP BY Fingerprint, Flow, ServiceName, Target, DestinationHost, DestinationVendor, DestinationKind, ThirdParty;

-- One row per span where detection failed or saw only part of a payload. A span whose detection
-- failed may carry no sst.flow at all (nothing was found), so sst_flows cannot show it; auditors
-- need these to know where the other views may be incomplete.
CREATE OR REPLACE VIEW {{database}}.sst_errors {{cluster}} AS
SELECT
    Timestamp,
    TraceId,
    SpanId,
    ServiceName,
    SpanName,
    SpanKind,
    SstFlow AS Flow,
    SstTarget AS Target,
    SstError AS DetectionError,
    SstTruncated AS Truncated
FROM {{database}}.{{table}}
WHERE SstError != '' OR SstTruncated;
