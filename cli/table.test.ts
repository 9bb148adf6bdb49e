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

test('fitWidth wraps the last column after commas onto aligned continuation lines', () => {
  const t = formatTable(['K', 'N', 'LIST'], [['ab', 1, 'alpha,beta,gamma,delta'], ['c', 22, 'x']], { fitWidth: 27 });
  assert.deepEqual(t.split('\n'), [
    'K    N  LIST',
    'ab   1  alpha,beta,gamma,',
    '        delta',
    'c   22  x',
  ]);
  assert.ok(t.split('\n').every((l) => l.length <= 27));
  // Fits already: unchanged.
  assert.equal(formatTable(['K', 'L'], [['a', 'b,c']], { fitWidth: 80 }), formatTable(['K', 'L'], [['a', 'b,c']]));
});

test('list joins or shows a dash', () => {
  assert.equal(list(['a', 'b']), 'a,b');
  assert.equal(list([]), '-');
});

test('detail adds an indented second line per row, cut to fitWidth', () => {
  const t = formatTable(['K', 'N'], [['a', 1], ['b', 2]], { detail: (k) => (k ? 'x'.repeat(50) : 'short'), fitWidth: 20 });
  assert.deepEqual(t.split('\n'), ['K  N', 'a  1', '    short', 'b  2', '    ' + 'x'.repeat(15) + '…']);
});
