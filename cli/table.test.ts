import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, list } from './table';

test('columns align; numbers right-aligned; no trailing spaces', () => {
  const t = formatTable(['NAME', 'N'], [['email', 12], ['ip', 3]]);
  assert.equal(t, 'NAME    N\nemail  12\nip      3');
});

test('long cells are cut with an ellipsis and newlines flattened', () => {
  const t = formatTable(['A', 'B'], [['x'.repeat(20), 'two\nlines']], { maxCellWidth: 8 });
  assert.equal(t.split('\n')[1], 'xxxxxxx…  two lin…');
});

test('width counts code points, not UTF-16 units', () => {
  const t = formatTable(['K', 'V'], [['ü😀', 'a'], ['ab', 'b']]);
  assert.deepEqual(t.split('\n'), ['K   V', 'ü😀  a', 'ab  b']);
});

test('list joins or shows a dash', () => {
  assert.equal(list(['a', 'b']), 'a,b');
  assert.equal(list([]), '-');
});
