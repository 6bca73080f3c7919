import { checkTarget, isPublicAddress, type Lookup } from '../../src/webhooks/ssrf';

const resolvesTo =
  (...addresses: string[]): Lookup =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
const failing: Lookup = async () => {
  throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
};

describe('SSRF guard', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.10',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::1',
    // IPv4-compatible (::/96, deprecated): [::127.0.0.1] is ::7f00:1 once a URL has parsed it.
    '::7f00:1',
    '::a00:1',
    '::808:808',
    // Outside 2000::/3: discard-only and unallocated.
    '100::1',
    '4000::1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.215.14'])(
    'allows %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it('accepts only http and https URLs', async () => {
    for (const url of [
      'ftp://93.184.215.14/',
      'file:///etc/passwd',
      'gopher://93.184.215.14',
      'hooks.example.com',
    ]) {
      expect(await checkTarget(url, false, resolvesTo('93.184.215.14'))).toMatchObject({ ok: false });
      expect(await checkTarget(url, true)).toMatchObject({ ok: false });
    }
  });

  it('refuses an IPv4-compatible IPv6 literal in a URL', async () => {
    expect(await checkTarget('http://[::127.0.0.1]:8080/', false, failing)).toEqual({
      ok: false,
      reason: 'blocked address',
    });
  });

  it('refuses URLs that carry credentials, even with private targets allowed', async () => {
    for (const url of [
      'http://user:pw@93.184.215.14/',
      'https://user@hooks.example.com/',
      'http://:pw@127.0.0.1/',
    ]) {
      expect(await checkTarget(url, false, resolvesTo('93.184.215.14'))).toEqual({
        ok: false,
        reason: 'must not contain credentials',
      });
      expect(await checkTarget(url, true)).toMatchObject({ ok: false });
    }
  });

  it('refuses a name when any of its addresses is internal', async () => {
    const check = await checkTarget(
      'https://hooks.example.com/x',
      false,
      resolvesTo('93.184.215.14', '10.0.0.7'),
    );
    expect(check).toEqual({ ok: false, reason: 'blocked address' });
  });

  it('returns the checked address to connect to', async () => {
    const check = await checkTarget('https://hooks.example.com/x', false, resolvesTo('93.184.215.14'));
    expect(check).toMatchObject({ ok: true, address: { address: '93.184.215.14', family: 4 } });
  });

  it('judges IP literals without resolving them, brackets removed', async () => {
    const lookup = jest.fn(resolvesTo('93.184.215.14'));
    expect(await checkTarget('http://[::1]:8080/', false, lookup)).toEqual({
      ok: false,
      reason: 'blocked address',
    });
    expect(await checkTarget('http://[2606:4700:4700::1111]/', false, lookup)).toMatchObject({
      ok: true,
      address: { address: '2606:4700:4700::1111', family: 6 },
    });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses a name that does not resolve', async () => {
    expect(await checkTarget('https://nowhere.invalid/', false, failing)).toEqual({
      ok: false,
      reason: 'host does not resolve',
    });
  });

  it('allows anything http(s) with WEBHOOK_ALLOW_PRIVATE', async () => {
    expect(await checkTarget('http://127.0.0.1:9000/', true, failing)).toMatchObject({ ok: true });
  });
});
