// What every migration driver in the reference shares: the step loop drivers
// run around vfio_mig_get_next_state(), and the data file's common behaviour
// (a stream, one direction, ENODEV once its transfer has ended).
import { fail } from '../kernel/errno';
import { AccessMode, FileOps } from '../kernel/file';
import { Mutations } from '../kernel/mutations';
import { IOCTL, PRECOPY_INFO_SIZE, precopyInfo, STATE_VALUE, VFIO_DEVICE_STATE_NR } from '../../support/uapi/vfio';
import { MigrationOps, vfio_mig_get_next_state } from './vfio_main';

const S = STATE_VALUE;

export abstract class DataFile implements FileOps {
  readonly stream = true;
  disabled = false;
  constructor(readonly mode: AccessMode) {}
  end(): void {
    this.disabled = true;
  }
  protected live(): void {
    if (this.disabled) fail('ENODEV', 'the transfer has ended');
  }
}

export interface PrecopyCounters { initial: bigint; dirty: bigint }

// A saving file: read-only, with VFIO_MIG_GET_PRECOPY_INFO as its only ioctl.
export abstract class SavingFile extends DataFile {
  constructor(private readonly owner: MigrationOps, protected readonly mutations: Mutations) {
    super('read');
  }
  abstract read(count: number): Uint8Array;
  protected abstract precopyCounters(): PrecopyCounters;

  ioctl(request: number, arg: Uint8Array | null): { ret: number; arg: Uint8Array | null } {
    if (request !== IOCTL.VFIO_MIG_GET_PRECOPY_INFO) fail('ENOTTY');
    if (!arg || arg.length < PRECOPY_INFO_SIZE) fail('EFAULT');
    const info = precopyInfo.decode(arg);
    if (info.argsz < PRECOPY_INFO_SIZE) fail('EINVAL', 'argsz below 24');
    if (this.mutations.on('precopy-argsz-exact') && info.argsz !== PRECOPY_INFO_SIZE) fail('EINVAL', 'argsz is not 24');
    const state = this.owner.migration_get_state();
    const inPrecopy = state === S.PRE_COPY || state === S.PRE_COPY_P2P;
    if (!inPrecopy && !(this.mutations.on('precopy-info-in-stopcopy') && state === S.STOP_COPY)) {
      fail('EINVAL', 'device is not in a pre-copy state');
    }
    this.live();
    const { initial, dirty } = this.precopyCounters();
    const out = arg.slice();
    // vfio_check_precopy_ioctl(): flags come back as the caller gave them unless
    // the device opted in to PRECOPY_INFOv2; then they are an output, and no
    // driver here has new initial data to report (VFIO_PRECOPY_INFO_REINIT).
    const optedIn = this.owner.precopy_info_v2 && !this.mutations.on('precopy-v2-flags-echoed');
    const flags = optedIn ? 0 : info.flags;
    out.set(precopyInfo.encode({ ...info, flags, initial_bytes: initial, dirty_bytes: dirty }).subarray(4), 4);
    return { ret: 0, arg: out };
  }
}

export abstract class ResumingFile extends DataFile {
  constructor() {
    super('write');
  }
  abstract write(data: Uint8Array): number;
}

// The driver side of migration_set_state(): walk the path one arc at a time,
// keeping the last state reached if an arc fails.
export abstract class MigrationDriver implements MigrationOps {
  protected state: number = S.RUNNING;
  precopy_info_v2 = false;
  // Every arc performed, for the migration_arcs test hook.
  readonly arcs: [number, number][] = [];
  constructor(readonly migration_flags: number, protected readonly mutations: Mutations) {}

  // Perform one arc; return the new data file if the arc opens a transfer.
  protected abstract step(from: number, to: number): FileOps | null;
  abstract migration_get_data_size(): bigint;

  migration_get_state(): number {
    return this.state;
  }

  migration_set_state(target: number): FileOps | null {
    let file: FileOps | null = null;
    if (this.takesStopCopyToPreCopy(target)) {
      this.arcs.push([this.state, target]);
      this.state = target;
      return null;
    }
    for (let arcs = 0; this.state !== target; arcs++) {
      // No legal path is longer than the number of states; a longer one means
      // the next-step table loops (only a mutant's can), so stop rather than spin.
      if (arcs > VFIO_DEVICE_STATE_NR) throw new Error('the state machine does not converge');
      const next = vfio_mig_get_next_state(this.migration_flags, this.state, target, this.mutations);
      const opened = this.step(this.state, next);
      this.arcs.push([this.state, next]);
      this.state = next;
      if (opened) {
        // Only the final arc of a path may open a transfer.
        if (next !== target) fail('EINVAL', 'a transfer was opened in the middle of a path');
        file = opened;
      }
    }
    return file;
  }

  // A driver with a state machine of its own (not the core's next-step helper)
  // that wrongly takes STOP_COPY -> PRE_COPY as one arc.
  private takesStopCopyToPreCopy(target: number): boolean {
    return this.mutations.on('fsm-stopcopy-to-precopy-allowed') && this.state === S.STOP_COPY && (target === S.PRE_COPY || target === S.PRE_COPY_P2P);
  }
}
