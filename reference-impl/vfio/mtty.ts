// mtty: the kernel's sample mdev driver (samples/vfio-mdev/mtty.c) as far as a
// VFIO user can see it: one or two loopback 16550 UART ports, each an 8-byte
// I/O BAR, and migration with flags 0x7 whose stream is a 24-byte header plus
// one 36-byte record per port. It answers as mtty does where mtty differs from
// the hardware drivers: 0 instead of ENOMSG at the pre-copy end, EFAULT for a
// bad header, ENOMEM past the stream's end, no-op DMA logging, no ERROR state.
import { fail } from '../kernel/errno';
import { FileOps } from '../kernel/file';
import { Mutations } from '../kernel/mutations';
import { concatBytes, StructReader, StructWriter } from '../../support/uapi/bytes';
import { MIG_FLAG, STATE_VALUE } from '../../support/uapi/vfio';
import { MigrationDriver, PrecopyCounters, ResumingFile, SavingFile } from './migration';
import { PciConfig } from './pci_config';
import { IovaBitmap, LogOps, LogRange, REGION_FLAG, RegionInfo, VfioDriver } from './vfio_main';

const S = STATE_VALUE;
export const MTTY = {
  MAGIC: 0x7e9d09898c3e2c4en,
  HEADER: 24,
  PORT_RECORD: 36,
  FIFO: 16,
  VENDOR: 0x4348,
  DEVICE: 0x3253,
} as const;

// UART register offsets and the bits mtty uses.
const UART = { RX_TX: 0, IER: 1, IIR_FCR: 2, LCR: 3, MCR: 4, LSR: 5, MSR: 6, SCR: 7 } as const;
const LCR_DLAB = 0x80;
const FCR_ENABLE = 0x01;
const FCR_CLEAR = 0x06;
const LSR_DR = 0x01;
const LSR_OE = 0x02;
const LSR_THRE_TEMT = 0x60;

class UartPort {
  reg = new Uint8Array(8);
  fifo = new Uint8Array(MTTY.FIFO);
  head = 0;
  tail = 0;
  count = 0;
  dlab = false;
  overrun = false;
  divisor = 0;
  fcr = 0;
  maxFifo: number = MTTY.FIFO;
  trigger = 1;

  write(offset: number, data: number): void {
    switch (offset) {
      case UART.RX_TX:
        if (this.dlab) { this.divisor |= data; return; }
        if (this.count < this.maxFifo) {
          this.fifo[this.head] = data;
          this.head = (this.head + 1) % MTTY.FIFO;
          this.count++;
          this.overrun = false;
        } else this.overrun = true;
        return;
      case UART.IER:
        if (this.dlab) this.divisor |= data << 8;
        else this.reg[offset] = data;
        return;
      case UART.IIR_FCR:
        this.fcr = data;
        if (data & FCR_CLEAR) { this.count = 0; this.head = 0; this.tail = 0; }
        this.trigger = 1;
        this.maxFifo = data & FCR_ENABLE ? MTTY.FIFO : 1;
        return;
      case UART.LCR:
        this.dlab = (data & LCR_DLAB) !== 0;
        if (this.dlab) this.divisor = 0;
        this.reg[offset] = data;
        return;
      case UART.MCR:
      case UART.SCR:
        this.reg[offset] = data;
        return;
      default:
        return; // LSR and MSR are read-only
    }
  }

  read(offset: number): number {
    switch (offset) {
      case UART.RX_TX: {
        if (this.dlab) return this.divisor & 0xff;
        let value = 0;
        if (this.head !== this.tail) {
          value = this.fifo[this.tail];
          this.count--;
          this.tail = (this.tail + 1) % MTTY.FIFO;
        }
        return value;
      }
      case UART.IER:
        return this.dlab ? (this.divisor >> 8) & 0xff : this.reg[offset] & 0x0f;
      case UART.IIR_FCR:
        return 0x01 | 0xc0; // no interrupt pending, 16550 FIFO bits
      case UART.LSR:
        return (this.head !== this.tail ? LSR_DR : LSR_THRE_TEMT) | (this.overrun ? LSR_OE : 0);
      case UART.MSR:
        return 0xb0 | 0x03; // DCD, DSR, CTS and their deltas
      default:
        return this.reg[offset];
    }
  }

  save(mutations: Mutations): Uint8Array {
    const w = new StructWriter(MTTY.PORT_RECORD);
    w.put(0, this.reg).put(8, mutations.on('mtty-fifo-not-migrated') ? new Uint8Array(MTTY.FIFO) : this.fifo);
    w.u8(24, this.head).u8(25, this.tail).u8(26, this.count).u8(27, this.dlab ? 1 : 0).u8(28, this.overrun ? 1 : 0);
    w.u16(30, this.divisor).u8(32, this.fcr).u8(33, this.maxFifo).u8(34, this.trigger);
    return w.bytes;
  }

  load(record: Uint8Array): void {
    const r = new StructReader(record);
    this.reg = record.slice(0, 8);
    this.fifo = record.slice(8, 24);
    this.head = r.u8(24); this.tail = r.u8(25); this.count = r.u8(26);
    this.dlab = r.u8(27) !== 0; this.overrun = r.u8(28) !== 0;
    this.divisor = r.u16(30); this.fcr = r.u8(32); this.maxFifo = r.u8(33); this.trigger = r.u8(34);
  }
}

// mtty splits a region access into naturally aligned 4-, 2- and 1-byte
// accesses, and a port register access uses only the first byte of each.
function accesses(offset: number, count: number): [number, number][] {
  const out: [number, number][] = [];
  for (let at = offset; at < offset + count;) {
    const left = offset + count - at;
    const size = left >= 4 && at % 4 === 0 ? 4 : left >= 2 && at % 2 === 0 ? 2 : 1;
    out.push([at, size]);
    at += size;
  }
  return out;
}

class MttySavingFile extends SavingFile {
  data: Uint8Array;
  position = 0;
  constructor(header: Uint8Array, device: MttyDevice, mutations: Mutations) {
    super(device, mutations);
    this.data = header;
  }
  read(count: number): Uint8Array {
    this.live();
    const out = this.data.slice(this.position, this.position + count);
    this.position += out.length;
    return out; // 0 bytes at the end, in pre-copy and in STOP_COPY alike
  }
  protected precopyCounters(): PrecopyCounters {
    return { initial: BigInt(Math.max(0, MTTY.HEADER - this.position)), dirty: 0n };
  }
}

class MttyResumingFile extends ResumingFile {
  data: Uint8Array = new Uint8Array(0);
  constructor(private readonly device: MttyDevice, private readonly mutations: Mutations) {
    super();
  }
  // Disabling the file (mtty_disable_file) empties it and puts f_pos back to 0.
  override end(): void {
    super.end();
    this.data = new Uint8Array(0);
  }

  // mtty_resume_write(): the length is checked before whether the file was disabled.
  write(chunk: Uint8Array): number {
    if (this.data.length + chunk.length > this.device.streamLength()) fail('ENOMEM', 'more than the stream length');
    this.live();
    const before = this.data.length;
    this.data = concatBytes([this.data, chunk]);
    // The header is checked by the write that completes it; its bytes stay counted.
    if (before < MTTY.HEADER && this.data.length >= MTTY.HEADER && !this.mutations.on('mtty-header-unchecked')) {
      if (!this.device.headerMatches(this.data.subarray(0, MTTY.HEADER))) fail('EFAULT', 'stream header does not match this device');
    }
    return chunk.length;
  }
}

export class MttyDevice extends MigrationDriver implements VfioDriver, LogOps {
  readonly pci_core = false;
  readonly mig_ops = this;
  readonly log_ops = this;
  private readonly ports: UartPort[];
  private readonly config: PciConfig;
  private saving: MttySavingFile | null = null;
  private resuming: MttyResumingFile | null = null;

  constructor(readonly nrPorts: 1 | 2, mutations: Mutations) {
    super(MIG_FLAG.STOP_COPY | MIG_FLAG.P2P | MIG_FLAG.PRE_COPY, mutations);
    this.ports = Array.from({ length: nrPorts }, () => new UartPort());
    this.config = new PciConfig(MTTY.VENDOR, MTTY.DEVICE,
      this.ports.map((_, index) => ({ index, size: 8, io: true })), 0x070002);
  }

  streamLength(): number {
    return MTTY.HEADER + MTTY.PORT_RECORD * this.nrPorts;
  }

  private header(): Uint8Array {
    return new StructWriter(MTTY.HEADER).u64(0, MTTY.MAGIC).u32(8, 1).u32(12, 0).u32(16, this.nrPorts).u32(20, 0).bytes;
  }

  headerMatches(bytes: Uint8Array): boolean {
    const r = new StructReader(bytes);
    if (this.mutations.on('mtty-header-magic-only')) return r.u64(0) === MTTY.MAGIC;
    return r.u64(0) === MTTY.MAGIC && r.u32(8) === 1 && r.u32(12) === 0 && r.u32(16) === this.nrPorts && r.u32(20) === 0;
  }

  private portRecords(): Uint8Array {
    return concatBytes(this.ports.map((p) => p.save(this.mutations)));
  }

  protected step(from: number, to: number): FileOps | null {
    const arc = `${from}>${to}`;
    switch (arc) {
      case `${S.STOP}>${S.STOP_COPY}`:
        this.endTransfers();
        this.saving = new MttySavingFile(concatBytes([this.header(), this.portRecords()]), this, this.mutations);
        return this.saving;
      case `${S.RUNNING}>${S.PRE_COPY}`:
      case `${S.RUNNING_P2P}>${S.PRE_COPY_P2P}`:
        this.endTransfers();
        this.saving = new MttySavingFile(this.header(), this, this.mutations);
        return this.saving;
      case `${S.PRE_COPY_P2P}>${S.STOP_COPY}`:
      case `${S.PRE_COPY}>${S.STOP_COPY}`:
        if (this.saving) this.saving.data = concatBytes([this.saving.data, this.portRecords()]);
        return null;
      case `${S.STOP_COPY}>${S.STOP}`:
      case `${S.PRE_COPY}>${S.RUNNING}`:
      case `${S.PRE_COPY_P2P}>${S.RUNNING_P2P}`:
        this.endTransfers();
        return null;
      case `${S.STOP}>${S.RESUMING}`:
        this.endTransfers();
        this.resuming = new MttyResumingFile(this, this.mutations);
        return this.resuming;
      case `${S.RESUMING}>${S.STOP}`: {
        const data = this.resuming?.data ?? new Uint8Array(0);
        if (data.length < this.streamLength()) fail('EINVAL', 'fewer bytes than the stream length were written');
        this.ports.forEach((p, i) => p.load(data.subarray(MTTY.HEADER + i * MTTY.PORT_RECORD, MTTY.HEADER + (i + 1) * MTTY.PORT_RECORD)));
        this.endTransfers();
        return null;
      }
      case `${S.RUNNING}>${S.RUNNING_P2P}`:
      case `${S.RUNNING_P2P}>${S.RUNNING}`:
      case `${S.RUNNING_P2P}>${S.STOP}`:
      case `${S.STOP}>${S.RUNNING_P2P}`:
      case `${S.PRE_COPY}>${S.PRE_COPY_P2P}`:
      case `${S.PRE_COPY_P2P}>${S.PRE_COPY}`:
        return null; // mtty does no DMA: the P2P arcs do nothing
      default:
        fail('EINVAL', `no arc ${arc}`); // the core's next-step helper asks for no other arc
    }
  }

  private endTransfers(): void {
    this.saving?.end();
    this.resuming?.end();
    this.saving = null;
    this.resuming = null;
  }

  migration_get_data_size(): bigint {
    return BigInt(this.streamLength() + (this.mutations.on('mtty-data-size-wrong') ? MTTY.HEADER : 0));
  }

  open_device(): void {} // mtty keeps its state across close and reopen
  close_device(): void {
    if (!this.mutations.on('close-keeps-transfers')) this.endTransfers();
  }
  reset(): void {
    this.endTransfers();
    if (!this.mutations.on('reset-keeps-state')) this.state = S.RUNNING;
  }

  region_info(index: number): RegionInfo {
    // mtty_get_region_info(): READ|WRITE for every index, with size 0 where there is
    // nothing; the config region is 0xff bytes (MTTY_CONFIG_SPACE_SIZE).
    const rw = REGION_FLAG.READ | REGION_FLAG.WRITE;
    if (index < this.nrPorts) return { flags: rw, size: 8n };
    if (index === 7) return { flags: rw, size: 0xffn };
    if (index < 9) return { flags: rw, size: 0n };
    fail('EINVAL', 'no such region');
  }

  region_read(index: number, offset: bigint, count: number): Uint8Array {
    if (index === 7) return this.config.read(Number(offset), count);
    const port = this.port(index, offset, count);
    const out = new Uint8Array(count);
    for (const [at] of accesses(Number(offset), count)) out[at - Number(offset)] = port.read(at);
    return out;
  }

  region_write(index: number, offset: bigint, data: Uint8Array): number {
    if (index === 7) return this.config.write(Number(offset), data);
    const port = this.port(index, offset, data.length);
    for (const [at] of accesses(Number(offset), data.length)) port.write(at, data[at - Number(offset)]);
    return data.length;
  }

  private port(index: number, offset: bigint, count: number): UartPort {
    const port = this.ports[index];
    if (!port || offset + BigInt(count) > 8n) fail('EINVAL', 'not a port register');
    return port;
  }

  // DMA logging exists but records nothing: mtty does no DMA.
  log_start(_ranges: LogRange[], pageSize: bigint): bigint {
    return pageSize;
  }
  log_stop(): void {}
  log_read_and_clear(_iova: bigint, _length: bigint, _bitmap: IovaBitmap): void {}
}
