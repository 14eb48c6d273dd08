// The device cdev and iommufd flow (drivers/vfio/device_cdev.c): a cdev fd
// opened without BIND, the suite's own iommufd, BIND, ATTACH and DETACH of an
// IOAS, and the group interface beside them. The ioctls travel as bytes
// through the plain ioctl operation; only the opens are operations of their own.
import {
  ATTACH_PT_SIZE, attachPt, bindIommufd, DETACH_PT_SIZE, IOAS_ALLOC_SIZE, ioasAlloc, IOCTL,
} from '../uapi/vfio';
import { fromHex, StructWriter, toHex } from '../uapi/bytes';
import { expect } from '../world/assert';
import type { TckWorld } from '../world/world';

// What BIND names as its iommufd: the suite's, -1, an fd number no file has, or the device's own fd.
export type BindTarget = 'the iommufd' | 'iommufd -1' | 'an fd that is not open' | "the device's own fd";

const NOT_OPEN_FD = 0x3fffffff; // far above any fd table

export class CdevSession {
  iommufd: number | undefined;
  lastDevid: number | undefined;
  private ioas: number | undefined;

  constructor(private readonly world: TckWorld) {}

  private get client() {
    return this.world.client;
  }

  // The first migratable device whose cdev the implementation opens, unbound.
  openUnbound(name: string) {
    return this.world.vfio.open(name, (_d, f) => f !== 0, 'migratable, opened through its cdev without BIND', false, undefined,
      async (d) => (await this.client.must('open_cdev', { path: d.path })).fd);
  }

  openVia(name: string, via: 'cdev' | 'group') {
    return this.world.vfio.open(name, (_d, f) => f !== 0, `migratable, opened through its ${via}`, true, undefined,
      async (d) => (await this.client.must('open_device_via', { path: d.path, interface: via })).fd);
  }

  // Another fd of a device already open in the scenario, under a new name.
  async openAgain(name: string, model: string, how: 'cdev' | 'group'): Promise<void> {
    const first = this.world.vfio.device(model);
    const out = this.world.record(how === 'cdev'
      ? await this.client.call('open_cdev', { path: first.declared.path })
      : await this.client.call('open_device_via', { path: first.declared.path, interface: 'group' }));
    if (out.ok) this.world.vfio.devices.set(name, { ...first, name, fd: out.value.fd });
  }

  async close(device: string): Promise<void> {
    await this.client.must('close', { fd: this.world.vfio.device(device).fd });
    this.world.vfio.devices.delete(device);
  }

  async openIommufd(): Promise<void> {
    this.iommufd = (await this.client.must('iommufd_open', {})).fd;
  }

  async bind(device: string, argsz: number, flags: number, target: BindTarget): Promise<void> {
    const fd = this.world.vfio.device(device).fd;
    const iommufd = target === 'the iommufd' ? this.needIommufd() : target === 'iommufd -1' ? -1 : target === 'an fd that is not open' ? NOT_OPEN_FD : fd;
    const arg = bindIommufd.encode({ argsz, flags, iommufd, out_devid: 0 });
    const out = this.world.record(await this.client.call('ioctl', { fd, request: IOCTL.VFIO_DEVICE_BIND_IOMMUFD, arg: toHex(arg) }));
    this.lastDevid = out.ok && out.value.arg ? bindIommufd.decode(fromHex(out.value.arg)).out_devid : undefined;
  }

  async allocIoas(): Promise<void> {
    const arg = ioasAlloc.encode({ size: IOAS_ALLOC_SIZE, flags: 0, out_ioas_id: 0 });
    const out = this.world.record(await this.client.call('ioctl', { fd: this.needIommufd(), request: IOCTL.IOMMU_IOAS_ALLOC, arg: toHex(arg) }));
    this.ioas = out.ok && out.value.arg ? ioasAlloc.decode(fromHex(out.value.arg)).out_ioas_id : undefined;
  }

  // pt_id: the IOAS allocated last, or a number.
  async attach(device: string, argsz: number, flags: number, ptId: 'the IOAS' | number): Promise<void> {
    const pt_id = ptId === 'the IOAS' ? this.needIoas() : ptId;
    const arg = attachPt.encode({ argsz, flags, pt_id });
    this.world.record(await this.client.call('ioctl', { fd: this.world.vfio.device(device).fd, request: IOCTL.VFIO_DEVICE_ATTACH_IOMMUFD_PT, arg: toHex(arg.subarray(0, Math.max(argsz, ATTACH_PT_SIZE))) }));
  }

  async detach(device: string, argsz: number, flags: number): Promise<void> {
    const arg = new StructWriter(DETACH_PT_SIZE).u32(0, argsz).u32(4, flags).bytes;
    this.world.record(await this.client.call('ioctl', { fd: this.world.vfio.device(device).fd, request: IOCTL.VFIO_DEVICE_DETACH_IOMMUFD_PT, arg: toHex(arg) }));
  }

  checkDevid(): void {
    expect(this.world.last?.ok === true, 'VFIO_DEVICE_BIND_IOMMUFD should succeed');
    // iommufd object ids start at 1 (XA_FLAGS_ALLOC1); the suite sent 0.
    expect(this.lastDevid !== undefined && this.lastDevid !== 0, `out_devid is ${this.lastDevid}: BIND writes the device's iommufd object id, never 0`);
  }

  private needIommufd(): number {
    if (this.iommufd === undefined) throw new Error('no iommufd was opened in this scenario ("an iommufd is opened")');
    return this.iommufd;
  }

  private needIoas(): number {
    if (this.ioas === undefined) throw new Error('no IOAS was allocated in this scenario ("an IOAS is allocated on the iommufd")');
    return this.ioas;
  }
}

