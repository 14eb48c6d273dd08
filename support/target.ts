// Which implementation a run talks to. The bundled reference runs in-process;
// TCK_REF_KERNEL picks the kernel release whose behaviour it imitates,
// TCK_REF_ARCH and TCK_REF_BYTE_ORDER the host it simulates (x86_64, little by
// default), and TCK_MUTANT switches on one deliberately broken behaviour
// (mutant runs only). A mutant that only shows on another host brings that
// host along unless the run names one.
// TCK_PROPOSAL=mdev-class-id makes it imitate that 2019 proposal instead of mainline.
import type { Implementation } from './contract/protocol';
import { ReferenceImplementation } from '../reference-impl/server';
import { DEFAULT_OPTIONS } from '../reference-impl/machine';
import { MUTANTS } from '../reference-impl/mutants';

// uname -m spells arm64 as aarch64.
const ARCH_NAMES: Record<string, string> = { arm64: 'aarch64', amd64: 'x86_64' };

export function implementationFromEnvironment(env: NodeJS.ProcessEnv = process.env): Implementation {
  const mutant = env.TCK_MUTANT || undefined;
  const host = MUTANTS.find((m) => m.id === mutant)?.host;
  const arch = env.TCK_REF_ARCH || host?.arch || DEFAULT_OPTIONS.arch;
  const byteOrder = env.TCK_REF_BYTE_ORDER || host?.byteOrder || DEFAULT_OPTIONS.byteOrder;
  if (byteOrder !== 'little' && byteOrder !== 'big') throw new Error(`TCK_REF_BYTE_ORDER must be little or big, not ${byteOrder}`);
  return new ReferenceImplementation({
    ...DEFAULT_OPTIONS,
    kernel: env.TCK_REF_KERNEL || DEFAULT_OPTIONS.kernel,
    arch: ARCH_NAMES[arch] ?? arch,
    byteOrder,
    mutant,
    proposal: env.TCK_PROPOSAL || undefined,
  });
}
