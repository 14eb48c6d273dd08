// "Unsupported" is a declaration about the implementation, made once for the
// whole run, not an answer a call can choose: an adapter that answered a call
// with a result or an errno in one scenario cannot answer the same call
// "unsupported" in another (which would hide a failure as a skip), nor the
// other way round. What counts as "the same call" is the operation on the same
// target: the device behind an fd (for an ioctl, also its request number and,
// for VFIO_DEVICE_FEATURE, the feature index), a sysfs path, a module, an
// owner. A lie of either kind makes the later scenario broken, naming the
// scenario of the first answer.
import { IOCTL } from '../uapi/vfio';
import { ioctlName } from './answer-checks';
import type { Request } from './protocol';

type Kind = 'answered' | 'unsupported';

export class SupportLedger {
  private readonly first = new Map<string, { kind: Kind; scenario: string }>();
  private readonly devices = new Map<number, string>(); // device fd -> sysfs path, in this scenario
  private scenario = '(before the first scenario)';

  // The fault of this answer, or undefined; the first answer of each key is kept.
  note(request: Request, kind: Kind): string | undefined {
    if (request.op === 'begin_scenario') {
      this.scenario = request.name;
      this.devices.clear();
      return undefined;
    }
    const key = supportKey(request, this.devices);
    const seen = this.first.get(key);
    if (!seen) {
      this.first.set(key, { kind, scenario: this.scenario });
      return undefined;
    }
    if (seen.kind === kind) return undefined;
    const was = seen.kind === 'unsupported' ? 'unsupported' : 'with a result or an errno';
    const now = kind === 'unsupported' ? 'unsupported' : 'with a result or an errno';
    return `inconsistent support: ${key} was answered ${was} in scenario ${JSON.stringify(seen.scenario)} and is now answered ${now}; whether an operation is supported is declared once for the whole run`;
  }

  opened(path: string, fd: number): void {
    this.devices.set(fd, path);
  }

  closed(fd: number): void {
    this.devices.delete(fd);
  }
}

export function supportKey(request: Request, devices: ReadonlyMap<number, string>): string {
  const on = (fd: number) => (devices.has(fd) ? ` on ${devices.get(fd)}` : ' on a data fd');
  switch (request.op) {
    case 'ioctl': {
      let name = ioctlName(request.request);
      if (request.request === IOCTL.VFIO_DEVICE_FEATURE && request.arg !== null && request.arg.length >= 16) {
        // struct vfio_device_feature: argsz, then flags whose low 16 bits are the feature index
        const flags = Buffer.from(request.arg.slice(8, 16), 'hex').readUInt32LE(0);
        name += ` feature ${flags & 0xffff}`;
      }
      return `ioctl ${name}${on(request.fd)}`;
    }
    case 'sysfs_read': case 'sysfs_write': case 'sysfs_list': case 'sysfs_readlink': case 'sysfs_stat': case 'sysfs_write_start':
      return `${request.op} ${request.path}`;
    case 'open_device': case 'open_cdev':
      return `${request.op} ${request.path}`;
    case 'open_device_via':
      return `open_device_via ${request.interface} ${request.path}`;
    case 'delete_module_start':
      return `delete_module_start ${request.name}`;
    case 'admin_command':
      return `admin_command on ${request.owner}`;
    case 'admin_trace': case 'mmio_write':
      return `${request.op} ${request.path}`;
    case 'device_dma': case 'migration_arcs': case 'region_info': case 'region_read': case 'region_write': case 'dma_map':
      return `${request.op}${on(request.fd)}`;
    default:
      return request.op;
  }
}
