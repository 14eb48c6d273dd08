// /dev/iommu as far as a VFIO device user needs it: a context whose objects
// (the devices bound to it, its IOAS) get ids from 1 up (XA_FLAGS_ALLOC1), and
// IOMMU_IOAS_ALLOC. Source: drivers/iommu/iommufd/main.c iommufd_fops_ioctl(),
// iommufd_ctx_from_fd(); ioas.c iommufd_ioas_alloc_ioctl() (Linux 6.12).
import { fail } from '../kernel/errno';
import { FileOps } from '../kernel/file';
import { IOAS_ALLOC_SIZE, IOCTL, ioasAlloc } from '../../support/uapi/vfio';

export class IommufdFile implements FileOps {
  readonly mode = 'readwrite' as const;
  readonly stream = false;
  private nextId = 1;
  private readonly ioas = new Set<number>();

  newObject(): number {
    return this.nextId++;
  }

  isIoas(id: number): boolean {
    return this.ioas.has(id);
  }

  allocIoas(): number {
    const id = this.newObject();
    this.ioas.add(id);
    return id;
  }

  ioctl(request: number, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null } {
    if (request !== IOCTL.IOMMU_IOAS_ALLOC) fail('ENOTTY', 'the reference models IOMMU_IOAS_ALLOC only');
    // get_user() of the size, then min_size, then copy_struct_from_user().
    if (!arg || arg.length < 4) fail('EFAULT', 'size unreadable');
    const size = new DataView(arg.buffer, arg.byteOffset, 4).getUint32(0, true);
    if (size < IOAS_ALLOC_SIZE) fail('EINVAL', 'size below struct iommu_ioas_alloc');
    if (arg.length < size) fail('EFAULT', 'the struct runs past the buffer');
    if (arg.subarray(IOAS_ALLOC_SIZE, size).some((b) => b !== 0)) fail('E2BIG', 'non-zero bytes past the known struct');
    const cmd = ioasAlloc.decode(arg.subarray(0, IOAS_ALLOC_SIZE));
    if (cmd.flags) fail('EOPNOTSUPP', 'IOAS_ALLOC takes no flags');
    const out = arg.slice();
    out.set(ioasAlloc.encode({ ...cmd, out_ioas_id: this.allocIoas() }).subarray(8, 12), 8);
    return { ret: 0, arg: out };
  }
}
