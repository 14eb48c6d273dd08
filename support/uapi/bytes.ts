// Hex and little-endian helpers. VFIO structs travel in host byte order; every
// platform the suite declares little-endian for VFIO is x86_64/arm64-like, and a
// big-endian host is named explicitly where it matters (virtio legacy).
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export class StructWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  constructor(size: number, private readonly littleEndian = true) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(offset: number, v: number): this { this.view.setUint8(offset, v); return this; }
  u16(offset: number, v: number): this { this.view.setUint16(offset, v, this.littleEndian); return this; }
  u32(offset: number, v: number): this { this.view.setUint32(offset, v >>> 0, this.littleEndian); return this; }
  s32(offset: number, v: number): this { this.view.setInt32(offset, v, this.littleEndian); return this; }
  u64(offset: number, v: bigint): this { this.view.setBigUint64(offset, BigInt.asUintN(64, v), this.littleEndian); return this; }
  put(offset: number, data: Uint8Array): this { this.bytes.set(data, offset); return this; }
}

// A buffer too short for the field asked of it: named, never a RangeError.
export class ShortBuffer extends Error {
  override name = 'ShortBuffer';
}

export class StructReader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, private readonly littleEndian = true, private readonly what = 'the buffer') {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number { return this.bytes.length; }
  u8(offset: number, field?: string): number { return this.need(offset, 1, field).getUint8(offset); }
  u16(offset: number, field?: string): number { return this.need(offset, 2, field).getUint16(offset, this.littleEndian); }
  u32(offset: number, field?: string): number { return this.need(offset, 4, field).getUint32(offset, this.littleEndian); }
  s32(offset: number, field?: string): number { return this.need(offset, 4, field).getInt32(offset, this.littleEndian); }
  u64(offset: number, field?: string): bigint { return this.need(offset, 8, field).getBigUint64(offset, this.littleEndian); }

  private need(offset: number, size: number, field?: string): DataView {
    if (offset + size <= this.bytes.length) return this.view;
    const name = field ? `${field} (${size} bytes at offset ${offset})` : `the ${size} bytes at offset ${offset}`;
    throw new ShortBuffer(`${this.what} is ${this.bytes.length} bytes long and ends before ${name}`);
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
