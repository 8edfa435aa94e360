import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gb11643CheckDigit,
  generateIdNumber,
  generateMobile,
  isValidIdNumber,
  mulberry32,
} from './gb11643.ts';

const seeds = fc.integer({ min: 0, max: 0xffffffff });

describe('gb11643CheckDigit', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['11010119900307123', '3'],
    ['00000000000000000', '1'],
  ])('%s → %s', (first17, check) => {
    expect(gb11643CheckDigit(first17)).toBe(check);
  });

  it.each(['1101051949123100', '110105194912310022', '1101051949123100a', ''])('refuses %j', (input) => {
    expect(() => gb11643CheckDigit(input)).toThrow(RangeError);
  });

  it('changes when any one digit changes', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{17}$/),
        fc.nat(16),
        fc.integer({ min: 1, max: 9 }),
        (first17, at, delta) => {
          const changed = String((Number(first17[at]) + delta) % 10);
          const other = first17.slice(0, at) + changed + first17.slice(at + 1);
          expect(gb11643CheckDigit(other)).not.toBe(gb11643CheckDigit(first17));
        },
      ),
    );
  });
});

describe('isValidIdNumber', () => {
  it.each([
    ['11010519491231002X', true, 'the textbook example'],
    ['11010519491231002x', true, 'a lower-case check character'],
    ['440524188001010014', true, 'the example of GB 11643 itself'],
    ['110101199003071233', true, 'a 1990 birth date'],
    ['110101199003071234', false, 'a wrong check character'],
    ['11010519491231002', false, '17 characters'],
    ['110105194912310', false, 'a 15-digit first-generation number'],
    ['11010519491231002Y', false, 'a letter other than X'],
    ['001051194912310021', false, 'no such province'],
    [`11010519490231002${gb11643CheckDigit('11010519490231002')}`, false, 'February 31st'],
    [`11010517000101002${gb11643CheckDigit('11010517000101002')}`, false, 'born in 1700'],
    [' 11010519491231002X', false, 'surrounding space'],
  ])('%s → %s (%s)', (id, valid) => {
    expect(isValidIdNumber(id)).toBe(valid);
  });
});

describe('generators', () => {
  it('generate valid ID numbers', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        expect(isValidIdNumber(generateIdNumber(mulberry32(seed)))).toBe(true);
      }),
    );
  });

  it('generate 11-digit mobile numbers', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        expect(generateMobile(mulberry32(seed))).toMatch(/^1[3-9]\d{9}$/);
      }),
    );
  });

  it('draw a seeded sequence in [0, 1)', () => {
    const rng = mulberry32(42);
    const draws = Array.from({ length: 1000 }, rng);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(draws).size).toBe(1000);
    expect(Array.from({ length: 5 }, mulberry32(42))).toEqual(draws.slice(0, 5));
  });

  it('are deterministic for a seed and survive an rng that returns values near 1', () => {
    expect(generateIdNumber(mulberry32(7))).toBe(generateIdNumber(mulberry32(7)));
    const high = () => 0.9999999999;
    expect(isValidIdNumber(generateIdNumber(high))).toBe(true);
    expect(generateMobile(high)).toBe('19999999999');
  });
});
