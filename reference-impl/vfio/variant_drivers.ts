// Conforming variants of refmig: the same device, with the choices the uAPI
// leaves open made the way a real driver makes them. They prove that the
// driver-neutral scenarios accept every legal behaviour, not only refmig's.
import { fail } from '../kernel/errno';
import { concatBytes } from '../../support/uapi/bytes';
import { ResumingFile } from './migration';
import { RefmigDevice, RefmigResumingFile } from './refmig';
import type { IovaBitmap } from './vfio_main';

// As mlx5_vfio_pci in Linux 6.12 (drivers/vfio/pci/mlx5/main.c, cmd.c):
// - the image is loaded while it is written (mlx5vf_resume_write()), so
//   RESUMING -> STOP only ends the resume fd and succeeds whatever was written
//   (mlx5vf_pci_step_device_state_locked());
// - MIG_DATA_SIZE is the firmware's total_size, an estimate: here the stream
//   length rounded up to a MiB (mlx5vf_pci_get_data_size()).
// - DMA logging (cmd.c: mlx5vf_start_page_tracker(), mlx5vf_create_tracker()):
//   more ranges than the device's pg_track_max_num_range (an 8-bit capability,
//   here 16) are combined by vfio_combine_iova_ranges(); the page size hint is
//   clamped between 2^pg_track_log_min_page_size and 2^pg_track_log_max_page_size
//   (here 4 KiB and 2 MiB) and written back.
// Opening the device forces RUNNING and a temporary end of pre-copy data is
// ENOMSG, STOP without START is 0, a REPORT without logging is EINVAL and the
// last close stops logging, as refmig already does.
export class Mlx5LikeDevice extends RefmigDevice {
  protected override readonly maxTrackedRanges: number = 16;

  protected override trackedPageSize(pageSize: bigint): bigint {
    let log = 0n;
    while ((2n << log) <= pageSize) log++; // ilog2(); a hint of 0 counts as 1
    const clamped = log < 12n ? 12n : log > 21n ? 21n : log;
    return 1n << clamped;
  }

  protected override finishResume(): null {
    this.endTransfers();
    return null;
  }

  override migration_get_data_size(): bigint {
    const MiB = 1n << 20n;
    return ((super.migration_get_data_size() + MiB - 1n) / MiB) * MiB;
  }
}

// pds_vfio_pci's restore file only copies what is written into host memory
// (pds_vfio_restore_write()); the device takes it at RESUMING -> STOP.
class BufferingRestoreFile extends ResumingFile {
  data: Uint8Array = new Uint8Array(0);
  write(data: Uint8Array): number {
    this.live();
    this.data = concatBytes([this.data, data]);
    return data.length;
  }
}

// As pds_vfio_pci in Linux 6.12 (drivers/vfio/pci/pds/lm.c, vfio_dev.c):
// - writes to the restore fd are never checked;
// - RESUMING -> STOP hands the image to the firmware (pds_vfio_set_lm_state_cmd())
//   and fails with the firmware's errno when it refuses it: here EIO; the
//   device stays in RESUMING with the restore fd open, since the state only
//   moves once an arc succeeded (pds_vfio_set_device_state());
// - MIG_DATA_SIZE is the constant PDS_LM_DEVICE_STATE_LENGTH, 65536
//   (pds_vfio_get_device_state_size()), smaller than this device's stream.
// - DMA logging (dirty.c: pds_vfio_dirty_enable(), pds_vfio_dirty_sync()):
//   more ranges than the firmware's max_regions (a u8, here 8) are combined by
//   vfio_combine_iova_ranges(); the page size is kept as asked and written back
//   unchanged; a REPORT window must lie inside one tracked region (EINVAL
//   otherwise); STOP without START is 0; the last close stops logging.
export class PdsLikeDevice extends RefmigDevice {
  protected override readonly maxTrackedRanges: number = 8;

  protected override trackedPageSize(pageSize: bigint): bigint {
    return pageSize;
  }

  override log_read_and_clear(iova: bigint, length: bigint, bitmap: IovaBitmap): void {
    const regions = this.trackedRanges();
    if (regions) {
      const region = regions.find((r) => iova >= r.start && iova <= r.last);
      if (!region || length === 0n || iova + length - 1n > region.last) fail('EINVAL', 'the window is not inside one tracked region');
    }
    super.log_read_and_clear(iova, length, bitmap);
  }
  protected override newResumingFile(): ResumingFile {
    return new BufferingRestoreFile();
  }

  protected override finishResume(): null {
    const image = (this.resuming as BufferingRestoreFile | null)?.data ?? new Uint8Array(0);
    const firmware = new RefmigResumingFile(this);
    try {
      firmware.write(image);
    } catch {
      fail('EIO', 'the firmware refused the device state');
    }
    if (!firmware.complete) fail('EIO', 'the firmware refused an incomplete device state');
    this.endTransfers();
    return null;
  }

  override migration_get_data_size(): bigint {
    return 65536n;
  }
}
