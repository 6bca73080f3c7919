import { ConfigError, loadConfig } from '../../src/config/app-config';

describe('WEBHOOK_RETENTION_DAYS', () => {
  it('keeps finished deliveries 30 days unless set', () => {
    expect(loadConfig({}).WEBHOOK_RETENTION_DAYS).toBe(30);
    expect(loadConfig({ WEBHOOK_RETENTION_DAYS: '7' }).WEBHOOK_RETENTION_DAYS).toBe(7);
  });

  it.each(['0', '-1', '3651', '1.5', 'thirty'])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ WEBHOOK_RETENTION_DAYS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_RETENTION_DAYS: value })).toThrow(/WEBHOOK_RETENTION_DAYS/);
  });
});
