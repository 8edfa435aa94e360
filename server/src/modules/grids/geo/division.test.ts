import { describe, expect, it } from 'vitest';
import { findDemoCounty, loadRegion, type RegionNode, regionLabel } from './division.ts';

function countLevels(node: RegionNode, counts: Record<string, number> = {}): Record<string, number> {
  counts[node.level] = (counts[node.level] ?? 0) + 1;
  for (const child of node.children) countLevels(child, counts);
  return counts;
}

function expectSortedByCode(node: RegionNode): void {
  const codes = node.children.map((child) => child.code);
  expect(codes).toEqual([...codes].sort());
  for (const child of node.children) expectSortedByCode(child);
}

describe('loadRegion', () => {
  it('rejects unknown and malformed codes', async () => {
    await expect(loadRegion('339999')).rejects.toThrow(/Unknown region code "339999"/);
    await expect(loadRegion('abc')).rejects.toThrow(/Unknown region code/);
    await expect(loadRegion('33')).rejects.toThrow(/Unknown region code/);
    await expect(loadRegion('330110005')).rejects.toThrow(/Unknown region code/);
  });

  it('loads the demo county 余杭区 with 12 towns and 223 villages', async () => {
    const started = performance.now();
    const county = await loadRegion(findDemoCounty());
    expect(performance.now() - started).toBeLessThan(3000);

    expect(county).toMatchObject({ code: '330110', name: '余杭区', level: 'county' });
    expect(countLevels(county)).toEqual({ county: 1, town: 12, village: 223 });
    expect(county.children[0]).toMatchObject({ code: '330110005', name: '五常街道', level: 'town' });
    expect(county.children.map((town) => town.name)).toContain('良渚街道');
    for (const town of county.children) {
      for (const village of town.children) {
        expect(village.code).toMatch(new RegExp(`^${town.code}\\d{3}$`));
        expect(village.name).not.toBe('');
        expect(village.children).toEqual([]);
      }
    }
    expectSortedByCode(county);
  });

  it('accepts the 12-digit padded form', async () => {
    const county = await loadRegion('330110000000');
    expect(county.code).toBe('330110');
    expect(countLevels(county).village).toBe(223);
  });

  it('loads a city with its counties', async () => {
    const city = await loadRegion('3301');
    expect(city).toMatchObject({ code: '3301', name: '杭州市', level: 'city' });
    expect(city.children.map((county) => county.code)).toContain('330110');
    expect(city.children.every((county) => county.level === 'county')).toBe(true);
    const yuhang = city.children.find((county) => county.code === '330110');
    expect(yuhang && countLevels(yuhang)).toEqual({ county: 1, town: 12, village: 223 });
    expectSortedByCode(city);
    expect((await loadRegion('330100000000')).code).toBe('3301');
  });
});

describe('regionLabel', () => {
  it.each([
    ['33', '浙江省'],
    ['3301', '浙江省 杭州市'],
    ['330110', '浙江省 杭州市 余杭区'],
    ['330110000000', '浙江省 杭州市 余杭区'],
    ['330110005', '浙江省 杭州市 余杭区 五常街道'],
    ['110101', '北京市 东城区'],
  ])('%s → %s', async (code, label) => {
    expect(await regionLabel(code)).toBe(label);
  });

  it('names villages', async () => {
    const county = await loadRegion('330110');
    const village = county.children[0]?.children[0];
    expect(village).toBeDefined();
    expect(await regionLabel(village?.code ?? '')).toBe(`浙江省 杭州市 余杭区 五常街道 ${village?.name}`);
  });

  it('rejects unknown codes', async () => {
    await expect(regionLabel('339999')).rejects.toThrow(/Unknown region code/);
    await expect(regionLabel('330110999999')).rejects.toThrow(/Unknown region code/);
    await expect(regionLabel('3301100')).rejects.toThrow(/Unknown region code/);
  });
});
