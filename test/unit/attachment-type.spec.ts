import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainText, sniffContentType, TEXT_PLAIN } from '../../src/attachments/attachment-type';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'attachments', name));
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('isPlainText', () => {
  it.each([
    ['English', 'The deposit of 150 USDT has not arrived.\n'],
    ['Chinese', '提币一直显示处理中，请帮忙查看。\n'],
    ['CRLF, tabs and form feeds', 'a\tb\r\nc\fd\ve\r\n'],
    ['a byte-order mark', '\ufeffhello'],
    ['angle brackets that are not markup', 'Contact <support@example.com>; 1 < 2 and 3 > 2; x <3'],
    ['an emoji', 'thanks 🙏'],
  ])('accepts %s', (_what, text) => {
    expect(isPlainText(utf8(text))).toBe(true);
  });

  it.each([
    ['a NUL byte', Buffer.from('abc\u0000def', 'utf8')],
    ['an escape sequence', Buffer.from('\u001b[31mred\u001b[0m', 'utf8')],
    ['DEL', Buffer.from('abc\u007f', 'utf8')],
    ['a C1 control', Buffer.from('abc\u0085', 'utf8')],
    ['Latin-1 (invalid UTF-8)', Buffer.from('Caf\xe9', 'latin1')],
    ['UTF-16 with a BOM', Buffer.from('\ufeffhello', 'utf16le')],
    ['an overlong encoding of "/"', Buffer.from([0x61, 0xc0, 0xaf])],
    ['a truncated character at the very end', Buffer.from([0x61, 0xe6, 0x8f])],
  ])('refuses %s', (_what, bytes) => {
    expect(isPlainText(bytes)).toBe(false);
  });

  it.each([
    ['an HTML document', '<!DOCTYPE html><html><body>hi</body></html>'],
    ['HTML after blank lines', '\n\n   <html>\n<body>x</body>'],
    ['an HTML comment', '<!-- note -->hello'],
    ['an XML declaration', '<?xml version="1.0"?><a/>'],
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
    ['a bare tag', '<div>hello</div>'],
    ['a script inside text', 'Hello,\nplease run <script>alert(1)</script>'],
    ['an iframe inside text', 'see <iframe src=x>'],
    ['a link', 'click <a href="https://phish.example">here</a>'],
    ['markup behind a BOM', '\ufeff<html>'],
  ])('refuses %s', (_what, text) => {
    expect(isPlainText(utf8(text))).toBe(false);
  });

  it('looks for markup in the first KiB only', () => {
    const late = `${'a'.repeat(2000)}\n<script>alert(1)</script>`;
    expect(isPlainText(utf8(late))).toBe(true);
    const early = `${'a'.repeat(900)}\n<script>alert(1)</script>`;
    expect(isPlainText(utf8(early))).toBe(false);
  });

  it('accepts a prefix that ends inside a character when it is not the whole file', () => {
    const prefix = Buffer.from([0x61, 0xe6, 0x8f]); // "a" and 2 of the 3 bytes of 提
    expect(isPlainText(prefix, false)).toBe(true);
    expect(isPlainText(prefix, true)).toBe(false);
  });
});

describe('sniffContentType', () => {
  it.each([
    ['screenshot.png', 'image/png'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.webp', 'image/webp'],
    ['animation.gif', 'image/gif'],
    ['statement.pdf', 'application/pdf'],
    ['clip.mp4', 'video/mp4'],
    ['notes-zh.txt', TEXT_PLAIN],
  ])('recognises %s as %s', async (name, type) => {
    expect(await sniffContentType(fixture(name), true)).toBe(type);
  });

  it.each([['program.png'], ['page.html'], ['image.svg'], ['data.xml']])(
    'refuses %s whatever its name',
    async (name) => {
      expect(await sniffContentType(fixture(name), true)).toBeUndefined();
    },
  );

  it('refuses other formats file-type knows, and unknown binary', async () => {
    const zip = Buffer.from('504b0304140000000800', 'hex');
    expect(await sniffContentType(zip, false)).toBeUndefined();
    expect(await sniffContentType(Buffer.from([0x00, 0x01, 0x02, 0xff]), true)).toBeUndefined();
  });
});
