// Placeholders → `$1…$n`, the one form every node-sql-parser dialect reads, so the parser's AST
// names each parameter by its slot. The drivers use different forms (`$1` pg; `?` and `??` mysql2;
// `?`, `?NNN`, `:name`, `@name`, `$name` better-sqlite3) and the dialect grammars accept different
// subsets of them. Only the lexical layer needed to find placeholders is handled here (strings,
// quoted identifiers, comments, PostgreSQL dollar quotes); the statement itself is parsed by
// node-sql-parser.

/** Where a slot's value comes from: the driver's positional values (0-based) or a named value. */
export type ParamRef = { index: number } | { name: string };

export interface Placeheld {
  /** The statement with every placeholder written as `$<slot>`. */
  text: string;
  /** slot (1-based) → the value it takes. */
  slots: Array<ParamRef | undefined>;
}

export type SqlSystem = 'postgresql' | 'mysql' | 'sqlite' | (string & {});

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdent = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number) => c >= 48 && c <= 57;

export function normalizePlaceholders(sql: string, system: SqlSystem): Placeheld {
  const pg = system === 'postgresql';
  const mysql = system === 'mysql';
  const slots: Array<ParamRef | undefined> = [undefined];
  let out = '';
  let from = 0;
  let positional = 0;
  const n = sql.length;
  const emit = (i: number, end: number, ref: ParamRef | undefined, replacement?: string) => {
    out += sql.slice(from, i);
    if (replacement !== undefined) out += replacement;
    else { slots.push(ref); out += '$' + (slots.length - 1); }
    from = end;
  };
  for (let i = 0; i < n; i++) {
    const c = sql.charCodeAt(i);
    if (c === 39 /* ' */ || c === 34 /* " */ || c === 96 /* ` */) {
      i = skipQuoted(sql, i, c, mysql && c !== 96);
    } else if (c === 91 /* [ */ && system === 'sqlite') {
      const e = sql.indexOf(']', i + 1);
      i = e < 0 ? n : e;
    } else if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === 35 /* # */ && mysql) {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42) {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 1;
    } else if (c === 36 /* $ */) {
      if (isDigit(sql.charCodeAt(i + 1))) {
        let j = i + 1;
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        const num = Number(sql.slice(i + 1, j));
        if (pg) {
          // Keep pg's own numbering: `$2` is values[1] wherever it appears.
          while (slots.length <= num) slots.push(undefined);
          slots[num] = { index: num - 1 };
          // The PostgreSQL grammar reads `($1)::text` but not `$1::text`.
          if (sql.charCodeAt(j) === 58 && sql.charCodeAt(j + 1) === 58) emit(i, j, undefined, `(${sql.slice(i, j)})`);
        } else {
          emit(i, j, { index: num - 1 });
        }
        i = j - 1;
      } else if (pg) {
        // Dollar-quoted string: $$…$$ or $tag$…$tag$.
        let j = i + 1;
        while (j < n && isIdent(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) j++;
        if (sql.charCodeAt(j) === 36) {
          const tag = sql.slice(i, j + 1);
          const e = sql.indexOf(tag, j + 1);
          i = e < 0 ? n : e + tag.length - 1;
        }
      } else if (isIdentStart(sql.charCodeAt(i + 1))) {
        let j = i + 1;
        while (j < n && isIdent(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) j++;
        emit(i, j, { name: sql.slice(i + 1, j) });
        i = j - 1;
      }
    } else if (pg) {
      continue;
    } else if (c === 63 /* ? */) {
      if (mysql && sql.charCodeAt(i + 1) === 63) {
        // `??` is an identifier placeholder: it takes a value but names a table or column.
        positional++;
        emit(i, i + 2, undefined, 'sst_identifier');
        i++;
      } else if (isDigit(sql.charCodeAt(i + 1))) {
        let j = i + 1;
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        emit(i, j, { index: Number(sql.slice(i + 1, j)) - 1 });
        i = j - 1;
      } else {
        emit(i, i + 1, { index: positional++ });
      }
    } else if ((c === 58 /* : */ || c === 64 /* @ */) && isIdentStart(sql.charCodeAt(i + 1))
      && sql.charCodeAt(i - 1) !== 58 && !isIdent(sql.charCodeAt(i - 1))) {
      let j = i + 1;
      while (j < n && isIdent(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) j++;
      emit(i, j, { name: sql.slice(i + 1, j) });
      i = j - 1;
    }
  }
  out += sql.slice(from);
  return { text: out, slots };
}

/** Index of the closing quote (doubled quotes escape; backslashes too where `backslash`). */
function skipQuoted(sql: string, i: number, q: number, backslash: boolean): number {
  const n = sql.length;
  for (let j = i + 1; j < n; j++) {
    const c = sql.charCodeAt(j);
    if (backslash && c === 92) { j++; continue; }
    if (c === q) {
      if (sql.charCodeAt(j + 1) === q) { j++; continue; }
      return j;
    }
  }
  return n;
}
