// The bundled reference implementation behind the contract: each request is
// dispatched to the subsystem that owns its op; a kernel failure becomes an
// errno answer. Subsystems register their handlers here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation, ImplementationInfo, Op, Request, ResultOf } from '../support/contract/protocol';
import { PROTOCOL_VERSION } from '../support/contract/protocol';
import { fromHex, toHex } from '../support/uapi/bytes';
import { BlockedForGood, KernelError } from './kernel/errno';
import { hasChange } from '../support/kernel/releases';
import { DEFAULT_OPTIONS, Machine, ReferenceOptions } from './machine';
import { vfioHandlers } from './vfio/ops';
import { mdevHandlers } from './mdev/ops';
import { virtioHandlers } from './virtio/ops';

type Unsupported = { unsupported: string };
export type Handler<O extends Op> = (machine: Machine, request: Extract<Request, { op: O }>) => ResultOf<O> | Unsupported;
export type Handlers = { [O in Op]?: Handler<O> };

function sessionHandlers(): Handlers {
  return {
    mem_alloc: (m, r) => ({ addr: m.process.alloc(r.length).toString() }),
    mem_read: (m, r) => ({ data: toHex(m.process.copyFromUser(BigInt(r.addr), r.length)) }),
    mem_write: (m, r) => {
      m.process.copyToUser(BigInt(r.addr), fromHex(r.data));
      return {};
    },
  };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export class ReferenceImplementation implements Implementation {
  private machine: Machine;
  private readonly handlers: Handlers;

  constructor(private readonly options: ReferenceOptions = DEFAULT_OPTIONS) {
    this.machine = new Machine(options);
    const handlers = { ...sessionHandlers(), ...vfioHandlers(), ...virtioHandlers() };
    this.handlers = { ...handlers, ...mdevHandlers(handlers) }; // the mdev sysfs tree lies over the others' sysfs paths
  }

  async hello(): Promise<ImplementationInfo> {
    return {
      protocol: PROTOCOL_VERSION,
      name: 'vfio-tck reference',
      version: packageVersion(),
      platform: this.machine.platform(),
      roles: [...new Set([...this.machine.roles, ...this.machine.declared.flatMap((d) => d.roles)])],
      devices: this.machine.declared,
      mdev_parents: this.machine.mdev.declaredParents(),
      capabilities: ['device_dma', 'migration_arcs'],
      options: {
        kernel_behaviour: this.options.kernel,
        fsm_error_loop_fixed: hasChange(this.options.kernel, 'fsm-error-loop-fixed'),
        ...(this.options.proposal ? { proposals: this.options.proposal } : {}),
        ...(this.options.mutant ? { mutant: this.options.mutant } : {}),
        ...(this.options.variant ? { variant: this.options.variant } : {}),
      },
    };
  }

  async request(request: Request): Promise<unknown> {
    const answer = this.answer(request);
    // A call that blocks for good never returns.
    return answer instanceof BlockedForGood ? new Promise(() => undefined) : answer;
  }

  // The answer to one request, or the call blocking for good.
  answer(request: Request): unknown {
    if (request.op === 'begin_scenario') {
      this.machine.process.closeAll();
      this.machine = new Machine(this.options);
      return { ok: true, result: {} };
    }
    const handler = this.handlers[request.op] as Handler<Op> | undefined;
    if (!handler) return { ok: false, unsupported: { reason: `the reference does not implement ${request.op}` } };
    try {
      const result = handler(this.machine, request as never);
      if (result && typeof result === 'object' && 'unsupported' in result) {
        return { ok: false, unsupported: { reason: (result as Unsupported).unsupported } };
      }
      return { ok: true, result };
    } catch (error) {
      if (error instanceof KernelError) {
        return { ok: false, errno: error.errno, ...(error.arg ? { arg: toHex(error.arg) } : {}) };
      }
      if (error instanceof BlockedForGood) return error;
      throw error;
    }
  }

  async shutdown(): Promise<void> {
    this.machine.process.closeAll();
  }
}
