import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateIdNumber, generateMobile, mulberry32 } from './gb11643.ts';
import {
  escapeSpreadsheetCell,
  maskAddress,
  maskIdNumber,
  maskName,
  maskPhone,
  maskValue,
  PII_KINDS,
} from './mask.ts';

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['王小明', '王**'],
    ['张', '*'],
    ['  李四  ', '李*'],
    ['阿依古丽·买买提', '阿*******'],
    ['𠮷野家', '𠮷**'],
    ['Alice', 'A****'],
    ['John Smith', 'J*********'],
    ['张*', '张*'],
  ])('%j → %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['138 1234 5678', '138 **** 5678'],
    ['138-1234-5678', '138-****-5678'],
    ['+8613812345678', '+86138****5678'],
    ['+86 138 1234 5678', '+86 138 **** 5678'],
    ['010-12345678', '010-****5678'],
    ['01012345678', '010****5678'],
    ['(010)12345678', '(010)****5678'],
    ['0755-1234567', '0755-***4567'],
    ['075512345678', '0755****5678'],
    ['021 6123 4567', '021 **** 4567'],
    ['12345', '*2345'],
    ['8021', '****'],
    ['138-1234-5678 (work)', '***-****-5678 (work)'],
    ['无', '*'],
    ['138****5678', '138****5678'],
    ['010-****5678', '010-****5678'],
  ])('%j → %j', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('maskIdNumber', () => {
  it.each([
    ['110101199003071234', '110***********1234'],
    ['11010519491231002X', '110***********002X'],
    ['110105491231002', '110********1002'],
    ['E12345678', 'E******78'],
    ['H1234', 'H**34'],
    ['1234', '****'],
    ['110***********1234', '110***********1234'],
  ])('%j → %j', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });
});

describe('maskAddress', () => {
  it.each([
    ['北京市朝阳区建外街道永安里社区3号楼2单元301', '北京市朝阳区建外街道永安里社区***'],
    ['浙江省杭州市西湖区三墩镇兰里村12组5号', '浙江省杭州市西湖区三墩镇兰里村***'],
    ['上海市徐汇区枫林路居委会旁', '上海市徐汇区枫林路居委会***'],
    ['广州市天河区珠江新城花城小区8栋1201', '广州市天河区珠江新城花城小区***'],
    ['成都市锦江区盐市口街道和平社区居委会', '成都市锦江区盐市口街道和平社区***'],
    ['武汉市武昌区中南路街道某某居民委员会3号', '武汉市武昌区中南路街道某某居民委员会***'],
    ['上海市徐汇区漕溪北路88号', '上海市徐汇区***'],
    ['幸福路12号', '幸福路***'],
    ['阳光社区', '阳光社区***'],
    ['阳光社区***', '阳光社区***'],
  ])('%j → %j', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });
});

describe('maskValue', () => {
  it.each([
    ['name', '张三', '张*'],
    ['phone', '13812345678', '138****5678'],
    ['id_number', '110101199003071234', '110***********1234'],
    ['address', '北京市朝阳区建外街道永安里社区3号楼', '北京市朝阳区建外街道永安里社区***'],
  ] as const)('%s', (kind, value, masked) => {
    expect(maskValue(kind, value)).toBe(masked);
  });

  it.each(PII_KINDS.flatMap((kind) => [null, undefined, '', '   '].map((value) => [kind, value] as const)))(
    '%s: %j → null',
    (kind, value) => {
      expect(maskValue(kind, value)).toBeNull();
    },
  );
});

describe('escapeSpreadsheetCell', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+86 138', "'+86 138"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['张三', '张三'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (cell, escaped) => {
    expect(escapeSpreadsheetCell(cell)).toBe(escaped);
  });
});

/** Every substring of `original` of `length` characters that includes one of the positions [from, to). */
function windowsTouching(original: string, from: number, to: number, length: number): string[] {
  const out: string[] = [];
  for (
    let start = Math.max(0, from - length + 1);
    start < to && start + length <= original.length;
    start += 1
  ) {
    out.push(original.slice(start, start + length));
  }
  return out;
}

describe('masking properties', () => {
  const seeds = fc.integer({ min: 0, max: 0xffffffff });
  const cases = [
    { label: 'ID numbers', generate: generateIdNumber, mask: maskIdNumber, head: 3, tail: 4 },
    { label: 'mobile numbers', generate: generateMobile, mask: maskPhone, head: 3, tail: 4 },
  ];

  it.each(cases)('$label: the middle never shows, the length and ends stay, masking is stable', (c) => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const original = c.generate(mulberry32(seed));
        const masked = c.mask(original);
        const middleEnd = original.length - c.tail;
        expect(masked).toHaveLength(original.length);
        expect(masked!.slice(0, c.head)).toBe(original.slice(0, c.head));
        expect(masked!.slice(middleEnd)).toBe(original.slice(middleEnd));
        expect(masked!.slice(c.head, middleEnd)).toMatch(/^\*+$/);
        for (const run of windowsTouching(original, c.head, middleEnd, 5)) expect(masked).not.toContain(run);
        expect(c.mask(original)).toBe(masked);
        expect(c.mask(masked)).toBe(masked);
      }),
    );
  });

  it('names keep their length and show only the first character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 2, maxLength: 8 }), (name) => {
        fc.pre(name.trim() === name && name.length > 0);
        const masked = maskName(name)!;
        expect(Array.from(masked)).toHaveLength(Array.from(name).length);
        expect(masked.startsWith(Array.from(name)[0]!)).toBe(true);
        expect(maskName(masked)).toBe(masked);
      }),
    );
  });
});
