import {
  asciiFallback,
  cleanFilename,
  contentDisposition,
  utf8Length,
} from '../../src/attachments/attachment-filename';

const PNG = ['png'] as const;
const TEXT = ['txt', 'log', 'text', 'md'] as const;

describe('cleanFilename', () => {
  it.each([
    // [sent, extensions, kept]
    ['screenshot.png', PNG, 'screenshot.png'],
    ['Screenshot.PNG', PNG, 'Screenshot.PNG'],
    ['../../etc/passwd.png', PNG, 'passwd.png'],
    ['..\\..\\x.txt', TEXT, 'x.txt'],
    ['C:\\Users\\me\\Desktop\\deposit.png', PNG, 'deposit.png'],
    ['/var/www/../../.ssh/authorized_keys', PNG, 'authorized_keys.png'],
    ['dir/', PNG, 'attachment.png'],
    ['..', TEXT, 'attachment.txt'],
    ['   ', PNG, 'attachment.png'],
    [undefined, PNG, 'attachment.png'],
    ['.htaccess', TEXT, 'htaccess.txt'],
    ['report. ', TEXT, 'report.txt'],
  ])('keeps %j (%j) as %j', (sent, extensions, kept) => {
    expect(cleanFilename(sent, extensions)).toBe(kept);
  });

  it('gives the name an extension of the detected type, so a download never opens as something else', () => {
    expect(cleanFilename('invoice.html', PNG)).toBe('invoice.html.png');
    expect(cleanFilename('setup.exe', ['pdf'])).toBe('setup.exe.pdf');
    expect(cleanFilename('README', TEXT)).toBe('README.txt');
    expect(cleanFilename('server.log', TEXT)).toBe('server.log');
  });

  it('removes control, bidi-override and zero-width characters', () => {
    // U+202E would show "invoice‮gnp.exe" as "invoiceexe.png".
    expect(cleanFilename('invoice\u202egnp.exe', PNG)).toBe('invoicegnp.exe.png');
    expect(cleanFilename('a\u0000b\u0007c\u001b[31m.png', PNG)).toBe('abc[31m.png');
    expect(cleanFilename('line\r\nbreak.png', PNG)).toBe('line break.png');
    expect(cleanFilename('zero\u200bwidth\ufeff.png', PNG)).toBe('zerowidth.png');
    expect(cleanFilename('c1\u0085\u009b.png', PNG)).toBe('c1.png');
    expect(cleanFilename('iso\u2066late\u2069.png', PNG)).toBe('isolate.png');
  });

  it('replaces quotes and characters Windows refuses, and collapses spaces', () => {
    expect(cleanFilename('a"b<c>d:e|f?g*h.png', PNG)).toBe('a_b_c_d_e_f_g_h.png');
    expect(cleanFilename('two   spaces\there.png', PNG)).toBe('two spaces here.png');
  });

  it('keeps Chinese and composes to NFC', () => {
    expect(cleanFilename('提币截图 2025.png', PNG)).toBe('提币截图 2025.png');
    // "é" sent decomposed (e + U+0301) is kept composed (U+00E9).
    expect(cleanFilename('re\u0301seau.png', PNG)).toBe('r\u00e9seau.png');
    // A lone surrogate cannot be written as UTF-8: it goes.
    expect(cleanFilename('bad\ud800.png', PNG)).toBe('bad.png');
  });

  it('bounds the name to 255 UTF-8 bytes, cutting the base between characters and keeping the extension', () => {
    const ascii = cleanFilename(`${'a'.repeat(300)}.png`, PNG);
    expect(ascii).toBe(`${'a'.repeat(251)}.png`); // 251 + ".png" (4) = 255
    // 3 bytes per 提: 83 of them (249 bytes) + ".png" = 253; an 84th would make 256.
    const chinese = cleanFilename(`${'提'.repeat(100)}.png`, PNG);
    expect(chinese).toBe(`${'提'.repeat(83)}.png`);
    expect(utf8Length(chinese)).toBe(253);
    // 4-byte emoji are never split into halves.
    const emoji = cleanFilename(`${'😀'.repeat(70)}.png`, PNG);
    expect(emoji).toBe(`${'😀'.repeat(62)}.png`); // 62 × 4 = 248, + 4 = 252
  });
});

describe('contentDisposition', () => {
  it('offers an ASCII fallback and the exact name percent-encoded (RFC 6266 / 8187)', () => {
    expect(contentDisposition('statement.pdf')).toBe(
      `attachment; filename="statement.pdf"; filename*=UTF-8''statement.pdf`,
    );
    expect(contentDisposition('提币截图.png')).toBe(
      `attachment; filename="____.png"; filename*=UTF-8''%E6%8F%90%E5%B8%81%E6%88%AA%E5%9B%BE.png`,
    );
    expect(contentDisposition("d'o (1) 100%.txt")).toBe(
      `attachment; filename="d'o (1) 100_.txt"; filename*=UTF-8''d%27o%20%281%29%20100%25.txt`,
    );
  });

  it('drops accents for the fallback and never lets a quote or backslash through', () => {
    expect(asciiFallback('résumé.pdf')).toBe('resume.pdf');
    expect(asciiFallback('a"b\\c.txt')).toBe('a_b_c.txt');
  });
});
