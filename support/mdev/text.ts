// How scenarios spell the bytes they write and the paths they name.
//
// Bytes: the text as written, with escapes \n (newline), \t, \0 (NUL),
// \xNN (any byte) and \\; a Gherkin table cell may already have turned \n
// into a real newline, which means the same.
//
// Placeholders, in both bytes and paths:
//   {uuid} {UUID} {Uuid}        the scenario's fresh UUID in lower, upper and mixed case
//   {uuid:A} {UUID:A} {Uuid:A}  the UUID of the scenario's mdev A, in the same three forms
//   {dev:A}                     the directory of mdev A under its parent
//   {group:A}                   the number of mdev A's IOMMU group
//   {type:T}                    the directory of type T (e.g. mtty-2) under its parent
//   {parent:T}                  the device directory of the parent offering type T
export const PLACEHOLDER = /\{(uuid|UUID|Uuid|dev|group|vfio|type|parent|mdev_bus|driver|other_driver)(?::([^}]+))?\}/g;

export type UuidForm = 'uuid' | 'UUID' | 'Uuid';

export function uuidForm(uuid: string, form: UuidForm): string {
  if (form === 'uuid') return uuid.toLowerCase();
  if (form === 'UUID') return uuid.toUpperCase();
  // Mixed: upper case before the third hyphen, lower case after it.
  return uuid.slice(0, 18).toUpperCase() + uuid.slice(18).toLowerCase();
}

export function decodeEscapes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 === text.length) {
      out.push(text.charCodeAt(i) & 0xff);
      continue;
    }
    const next = text[++i];
    if (next === 'n') out.push(0x0a);
    else if (next === 't') out.push(0x09);
    else if (next === '0') out.push(0x00);
    else if (next === '\\') out.push(0x5c);
    else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else throw new Error(`unknown escape \\${next} in "${text}"`);
  }
  return new Uint8Array(out);
}

// For reports: bytes as readable text with the escapes above.
export function showBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => (b === 0x0a ? '\\n' : b === 0 ? '\\0' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}
