import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyValueText, attributePairs, goJsonString, intText } from './otlp-value';

test('scalars follow pdata AsString: strings as is, bools, ints in decimal, doubles in ES6 form, bytes base64', () => {
  assert.equal(anyValueText({ stringValue: 'plain <b>&' }), 'plain <b>&');
  assert.equal(anyValueText({ boolValue: true }), 'true');
  assert.equal(anyValueText({ boolValue: false }), 'false');
  assert.equal(anyValueText({ intValue: 42 }), '42');
  assert.equal(anyValueText({ intValue: '-9223372036854775808' }), '-9223372036854775808');
  assert.equal(anyValueText({ intValue: '0042' }), '42');
  assert.equal(anyValueText({ doubleValue: 0.1 }), '0.1');
  assert.equal(anyValueText({ doubleValue: 100 }), '100');
  assert.equal(anyValueText({ doubleValue: 1e21 }), '1e+21');
  assert.equal(anyValueText({ doubleValue: 123456789012345680000 }), '123456789012345680000');
  assert.equal(anyValueText({ doubleValue: 0.000001 }), '0.000001');
  assert.equal(anyValueText({ doubleValue: 1.5e-7 }), '1.5e-7');
  assert.equal(anyValueText({ doubleValue: -0 }), '-0');
  assert.equal(anyValueText({ doubleValue: 'Infinity' }), 'json: unsupported value: +Inf');
  assert.equal(anyValueText({ doubleValue: '-Infinity' }), 'json: unsupported value: -Inf');
  assert.equal(anyValueText({ bytesValue: 'aGVsbG8' }), 'aGVsbG8=');
  assert.equal(anyValueText({}), '');
  assert.equal(anyValueText(undefined), '');
});

test('arrays and kvlists are Go encoding/json text: HTML-safe escapes, sorted keys, last duplicate wins', () => {
  assert.equal(anyValueText({ arrayValue: { values: [{ stringValue: 'email' }, { stringValue: 'phone' }] } }), '["email","phone"]');
  assert.equal(anyValueText({ arrayValue: {} }), '[]');
  assert.equal(anyValueText({ arrayValue: { values: [{ stringValue: '<a href="x">&\u2029\b\f\u0001' }] } }), '["\\u003ca href=\\"x\\"\\u003e\\u0026\\u2029\\b\\f\\u0001"]');
  assert.equal(anyValueText({ kvlistValue: { values: [
    { key: 'b', value: { intValue: 1 } }, { key: 'B', value: { boolValue: true } }, { key: 'a', value: { doubleValue: 1e-7 } },
    { key: 'b', value: { stringValue: 'second' } },
  ] } }), '{"B":true,"a":1e-7,"b":"second"}');
  // Code point order, as Go compares UTF-8 bytes (UTF-16 order would put U+FB01 after the emoji).
  assert.equal(anyValueText({ kvlistValue: { values: [{ key: '\u{1F600}', value: { intValue: 1 } }, { key: '\uFB01', value: { intValue: 2 } }] } }), '{"\uFB01":2,"\u{1F600}":1}');
  assert.equal(anyValueText({ kvlistValue: { values: [] } }), '{}');
});

test('a NaN inside an array makes json.Marshal fail, and AsString then yields an empty string', () => {
  assert.equal(anyValueText({ arrayValue: { values: [{ stringValue: 'ok' }, { doubleValue: 'NaN' }] } }), '');
});

test('lone surrogates become U+FFFD (what Go decoded them to)', () => {
  assert.equal(anyValueText({ stringValue: 'a\uD800b' }), 'a\uFFFDb');
  assert.equal(goJsonString('x\uDC00'), '"x\uFFFD"');
});

test('attribute lists keep their order and duplicates; bad entries are skipped', () => {
  const pairs = attributePairs([
    { key: 'z', value: { stringValue: '1' } }, { key: 'a', value: { intValue: 2 } }, null as never, { key: 'z', value: { boolValue: true } },
  ]);
  assert.deepEqual(pairs, [['z', '1'], ['a', '2'], ['z', 'true']]);
  assert.deepEqual(attributePairs(undefined), []);
});

test('intText never goes through a float for large values', () => {
  assert.equal(intText('9007199254740993'), '9007199254740993');
  assert.equal(intText(9007199254740991), '9007199254740991');
  assert.equal(intText(undefined), '0');
});
