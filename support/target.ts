// Which implementation a run talks to. The bundled reference runs in-process;
// TCK_REF_KERNEL picks the kernel release whose behaviour it imitates and
// TCK_MUTANT switches on one deliberately broken behaviour (mutant runs only).
import type { Implementation } from './contract/protocol';
import { ReferenceImplementation } from '../reference-impl/server';
import { DEFAULT_OPTIONS } from '../reference-impl/machine';

export function implementationFromEnvironment(env: NodeJS.ProcessEnv = process.env): Implementation {
  return new ReferenceImplementation({
    ...DEFAULT_OPTIONS,
    kernel: env.TCK_REF_KERNEL || DEFAULT_OPTIONS.kernel,
    mutant: env.TCK_MUTANT || undefined,
  });
}
