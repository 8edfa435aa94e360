import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('config', () => {
  it('PUBLIC_URL: an http(s) address without a trailing slash, or null when unset', () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: 'https://wg.example.gov.cn/' }).publicUrl).toBe(
      'https://wg.example.gov.cn',
    );
    expect(loadConfig({ PUBLIC_URL: ' http://10.1.2.3:8080/gridgov// ' }).publicUrl).toBe(
      'http://10.1.2.3:8080/gridgov',
    );
    expect(() => loadConfig({ PUBLIC_URL: 'wg.example.gov.cn' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://wg.example.gov.cn' })).toThrow(/PUBLIC_URL/);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL and a PORT that is not a port', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(loadConfig({ PORT: '9000' }).port).toBe(9000);
  });
});
