import { parseRange } from '../../src/attachments/byte-range';

// A 1000-byte file: positions 0–999.
const SIZE = 1000;

describe('parseRange', () => {
  it.each([
    ['bytes=0-99', 0, 99], // the first 100 bytes
    ['bytes=500-', 500, 999], // from 500 to the end
    ['bytes=-100', 900, 999], // the last 100: 1000 − 100 = 900
    ['bytes=-5000', 0, 999], // more than the file: all of it
    ['bytes=990-5000', 990, 999], // the end is cut to the file
    ['bytes=999-999', 999, 999], // the last byte
    ['BYTES= 0-0 ', 0, 0],
  ])('%s → %d–%d', (header, start, end) => {
    expect(parseRange(header, SIZE)).toEqual({ kind: 'partial', start, end });
  });

  it.each([['bytes=1000-'], ['bytes=1000-1010'], ['bytes=-0'], ['bytes=5-2']])(
    '%s cannot be satisfied',
    (header) => {
      expect(parseRange(header, SIZE)).toEqual({ kind: 'unsatisfiable' });
    },
  );

  it.each([
    [undefined],
    [''],
    ['items=0-5'],
    ['bytes=0-5,10-20'],
    ['bytes=abc'],
    ['bytes=-'],
    ['bytes=1.5-2'],
  ])('answers the whole file for %j', (header) => {
    expect(parseRange(header, SIZE)).toEqual({ kind: 'full' });
  });
});
