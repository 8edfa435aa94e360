/**
 * The one masking helper for personal information, used by presenters, exports and notifications.
 * Masks keep the length and layout of names, phone numbers and ID numbers, and masking a masked value
 * changes nothing. Null, undefined and blank values come back as null.
 */

export const PII_KINDS = ['name', 'phone', 'id_number', 'address'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

type Maybe = string | null | undefined;

function present(value: Maybe): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function stars(count: number): string {
  return '*'.repeat(Math.max(0, count));
}

/** Keeps the first character: '张三' → '张*', '欧阳娜娜' → '欧***', 'Alice' → 'A****'. */
export function maskName(value: Maybe): string | null {
  const name = present(value);
  if (name === null) return null;
  const chars = Array.from(name);
  if (chars.length === 1) return '*';
  return chars[0] + stars(chars.length - 1);
}

/** Digits and the stars of an earlier mask, so that masking twice changes nothing. */
const DIGITISH = /[\d*]/;

/** How many leading digits of a phone number stay visible; the last four always do. */
function visibleHead(value: string, digits: string): number | null {
  if (/^\+?[\s-]*(?:86[\s-]*)?1[\d*\s-]+$/.test(value) && /^(?:86)?1[\d*]{10}$/.test(digits)) {
    return digits.length - 8;
  }
  if (!/^[\d*\s()-]+$/.test(value) || !digits.startsWith('0')) return null;
  // An area code set apart by a separator or brackets; else 010 and 02x are three digits, the rest four.
  const area =
    /^\(?(0\d{2,3})(?:\)|[\s-])/.exec(value)?.[1] ??
    (/^0(?:10|2\d)/.test(digits) ? digits.slice(0, 3) : digits.slice(0, 4));
  const local = digits.length - area.length;
  return local >= 7 && local <= 8 ? area.length : null;
}

/**
 * Mobile numbers keep the first three and last four digits ('13812345678' → '138****5678', a +86 prefix
 * kept); landlines keep the area code and the last four ('010-12345678' → '010-****5678'). Anything
 * else keeps only its last four digits, and nothing at all if it has no more than four. Separators stay
 * where they were; text without digits is masked like a name.
 */
export function maskPhone(value: Maybe): string | null {
  const phone = present(value);
  if (phone === null) return null;
  const digits = Array.from(phone)
    .filter((c) => DIGITISH.test(c))
    .join('');
  if (digits.length === 0) return maskName(phone);
  const head = digits.length > 4 ? (visibleHead(phone, digits) ?? 0) : 0;
  const tailFrom = digits.length > 4 ? digits.length - 4 : digits.length;
  let index = 0;
  let out = '';
  for (const c of phone) {
    if (!DIGITISH.test(c)) {
      out += c;
      continue;
    }
    out += index >= head && index < tailFrom ? '*' : c;
    index += 1;
  }
  return out;
}

/**
 * ID numbers of 18 or 15 characters keep the first three and the last four
 * ('110101199003071234' → '110***********1234'); other documents (passports, permits) keep the first
 * character and the last two.
 */
export function maskIdNumber(value: Maybe): string | null {
  const id = present(value);
  if (id === null) return null;
  const chars = Array.from(id);
  const n = chars.length;
  if (n === 18 || n === 15) return chars.slice(0, 3).join('') + stars(n - 7) + chars.slice(n - 4).join('');
  if (n <= 4) return stars(n);
  return chars[0] + stars(n - 3) + chars.slice(n - 2).join('');
}

const COMMUNITY_LEVEL = /社区|居民委员会|居委会|村|小区/;
const ADDRESS_FALLBACK_CHARS = 6;

/**
 * Cuts an address after the community level: up to and including the first 社区, 村, 居委会 or 小区,
 * then '***'. Without one of those it keeps the first six characters, but never more than half of the
 * address, so a short address is not shown whole.
 */
export function maskAddress(value: Maybe): string | null {
  const address = present(value);
  if (address === null) return null;
  const match = COMMUNITY_LEVEL.exec(address);
  if (match) return `${address.slice(0, match.index + match[0].length)}***`;
  const chars = Array.from(address);
  const keep = Math.min(ADDRESS_FALLBACK_CHARS, Math.floor(chars.length / 2));
  return `${chars.slice(0, keep).join('')}***`;
}

const MASKERS: { readonly [K in PiiKind]: (value: Maybe) => string | null } = {
  name: maskName,
  phone: maskPhone,
  id_number: maskIdNumber,
  address: maskAddress,
};

/** Masks `value` as the given kind of personal information. */
export function maskValue(kind: PiiKind, value: Maybe): string | null {
  return MASKERS[kind](value);
}

/**
 * Escapes a spreadsheet cell against formula injection: a cell that begins with = + - @, a tab or a
 * carriage return gets a leading single quote. Apply it to text cells only, not to numbers.
 */
export function escapeSpreadsheetCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
