// The two parsers the mdev sysfs files rely on, with the kernel's exact rules:
// the UUID check of lib/uuid.c and kstrtoul(buf, 0) of lib/kstrtox.c. Store
// callbacks see a NUL-terminated copy of what was written, so both stop at
// the first NUL byte as C string functions do.
import { Mutations } from '../kernel/mutations';

export const UUID_STRING_LEN = 36;
const HYPHENS = new Set([8, 13, 18, 23]);

const isxdigit = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

// guid_parse(): the first 36 bytes must be hex digits of either case with '-'
// at 8, 13, 18 and 23; nothing after them is looked at. Returns the name the
// device gets (%pUl: lower case, the digits in the order written), or null.
export function guid_parse(buf: Uint8Array, mutations: Mutations): string | null {
  if (buf.length < UUID_STRING_LEN) return null;
  for (let i = 0; i < UUID_STRING_LEN; i++) {
    const c = buf[i];
    if (HYPHENS.has(i) ? c !== 0x2d : !isxdigit(c)) return null;
  }
  const text = Buffer.from(buf.subarray(0, UUID_STRING_LEN)).toString('latin1');
  return mutations.on('mdev-name-keeps-case') ? text : text.toLowerCase();
}

// C-string view of a store buffer: everything before the first NUL.
function cString(buf: Uint8Array): string {
  const nul = buf.indexOf(0);
  return Buffer.from(nul < 0 ? buf : buf.subarray(0, nul)).toString('latin1');
}

const ULONG_MAX = (1n << 64n) - 1n;

// kstrtoul(s, 0): optional '+', base from the prefix (0x/0X hex when a hex
// digit follows, leading 0 octal, else decimal), at least one digit, at most
// one trailing newline, nothing else. Overflow is an error like any other.
export function kstrtoul(buf: Uint8Array): bigint | null {
  let s = cString(buf);
  if (s.startsWith('+')) s = s.slice(1);
  let base = 10n;
  if (s[0] === '0') {
    if ((s[1] === 'x' || s[1] === 'X') && s.length > 2 && isxdigit(s.charCodeAt(2))) {
      base = 16n;
      s = s.slice(2);
    } else base = 8n;
  }
  let value = 0n;
  let digits = 0;
  for (; digits < s.length; digits++) {
    const digit = parseInt(s[digits], 16);
    if (Number.isNaN(digit) || BigInt(digit) >= base) break;
    value = value * base + BigInt(digit);
    if (value > ULONG_MAX) return null;
  }
  if (digits === 0) return null;
  let rest = s.slice(digits);
  if (rest.startsWith('\n')) rest = rest.slice(1);
  return rest.length === 0 ? value : null;
}
