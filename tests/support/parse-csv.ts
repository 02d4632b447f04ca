const BOM = '\uFEFF';

/**
 * Strict RFC 4180 parser: CRLF record ends only, quotes only around a whole field, every record as wide as the first.
 * A leading BOM is dropped. Throws on anything else, so a test that parses an export back also checks its syntax.
 */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  if (src === '') return records;
  let record: string[] = [];
  let i = 0;
  for (;;) {
    if (src[i] === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        const close = src.indexOf('"', i);
        if (close === -1) throw new SyntaxError(`CSV: quoted field at ${start} is never closed`);
        value += src.slice(i, close);
        i = close + 1;
        if (src[i] !== '"') break;
        value += '"';
        i++;
      }
      record.push(value);
    } else {
      const start = i;
      while (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
        if (src[i] === '"') throw new SyntaxError(`CSV: quote inside an unquoted field at ${i}`);
        i++;
      }
      record.push(src.slice(start, i));
    }
    if (i === src.length) {
      records.push(record);
      break;
    }
    if (src[i] === ',') {
      i++;
      continue;
    }
    if (src[i] === '\r' && src[i + 1] === '\n') {
      records.push(record);
      record = [];
      i += 2;
      if (i === src.length) break;
      continue;
    }
    throw new SyntaxError(`CSV: unexpected ${JSON.stringify(src[i])} at ${i}`);
  }
  const width = records[0]?.length ?? 0;
  const ragged = records.findIndex((row) => row.length !== width);
  if (ragged !== -1)
    throw new SyntaxError(`CSV: record ${ragged + 1} has ${records[ragged]?.length} fields, not ${width}`);
  return records;
}
