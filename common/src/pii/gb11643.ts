/**
 * Citizen identity numbers (公民身份号码, GB 11643-1999): 6-digit region code, 8-digit birth date,
 * 3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character. Also random, valid-looking
 * ID numbers and mobile numbers for property tests and fixtures.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Province-level codes (the first two digits), including 71/81/82/83 for Taiwan, Hong Kong and Macao. */
// biome-ignore format: one row per region of the country
const PROVINCES = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

/** A few real county-level codes to generate numbers from. */
const REGION_CODES = [
  '110101',
  '110105',
  '310104',
  '320102',
  '330106',
  '420106',
  '440305',
  '510104',
  '610113',
];

/** Mobile number prefixes in use in mainland China. */
// biome-ignore format: by block of ten
const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '147', '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166', '173', '175', '176', '177', '178',
  '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '191', '198', '199',
];

const DAY_MS = 86_400_000;
const BIRTH_FROM = Date.UTC(1940, 0, 1);
const BIRTH_TO = Date.UTC(2010, 11, 31);

/** The check character of the first 17 digits; throws RangeError if they are not 17 digits. */
export function gb11643CheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected the first 17 digits of an ID number');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Whether `id` is a well-formed 18-character ID number: a known province, a real birth date from 1800
 * on, and the right check character (`x` accepted for `X`). It cannot tell whether the number was issued.
 */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  if (!PROVINCES.has(id.slice(0, 2))) return false;
  const birth = id.slice(6, 14);
  if (!/^(18|19|20)/.test(birth) || !isRealDate(birth)) return false;
  return gb11643CheckDigit(id.slice(0, 17)) === id[17]!.toUpperCase();
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[randomInt(rng, items.length)]!;
}

function randomInt(rng: () => number, below: number): number {
  return Math.min(below - 1, Math.floor(rng() * below));
}

function randomDigits(rng: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += String(randomInt(rng, 10));
  return out;
}

/** A small seeded random generator (mulberry32) in [0, 1), for reproducible fixtures and property tests. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A random valid ID number: a real region code, a birth date in 1940–2010, a check character. */
export function generateIdNumber(rng: () => number): string {
  const birthMs = BIRTH_FROM + randomInt(rng, (BIRTH_TO - BIRTH_FROM) / DAY_MS + 1) * DAY_MS;
  const birth = new Date(birthMs).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${pick(rng, REGION_CODES)}${birth}${randomDigits(rng, 3)}`;
  return first17 + gb11643CheckDigit(first17);
}

/** A random 11-digit mainland mobile number with a real prefix. */
export function generateMobile(rng: () => number): string {
  return pick(rng, MOBILE_PREFIXES) + randomDigits(rng, 8);
}
