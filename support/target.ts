// Which implementation a run talks to. The bundled reference runs in-process
// unless TCK_ADAPTER names an adapter command line (support/adapter/), in
// which case the suite starts that program and speaks the JSON-lines protocol
// with it; the TCK_ADAPTER_* variables set its bounds (support/adapter/settings.ts).
// For the reference, TCK_REF_KERNEL picks the kernel release whose behaviour
// it imitates, TCK_REF_ARCH and TCK_REF_BYTE_ORDER the host it simulates
// (x86_64, little by default), and TCK_MUTANT switches on one deliberately
// broken behaviour (mutant runs only), TCK_VARIANT one conforming variant
// (reference-impl/variants.ts). A mutant that only shows on another
// host or kernel brings it along unless the run names one; so does a variant
// that imitates another kernel release.
// TCK_PROPOSAL=mdev-class-id makes it imitate that 2019 proposal instead of mainline.
// The reference adapter (adapters/reference/) reads the same TCK_REF_* variables.
import type { Implementation } from './contract/protocol';
import type { ReferenceImplementation } from '../reference-impl/server';
import { StdioAdapter } from './adapter/transport';
import { adapterSettings, AdapterSettings, ENV } from './adapter/settings';

// A choice made by a program rather than the environment (tests, benchmarks):
// an adapter command line and bounds that override the TCK_ADAPTER_* variables.
export interface TargetChoice {
  adapter?: string;
  settings?: Partial<Omit<AdapterSettings, 'argv'>>;
}

let chosen: TargetChoice | undefined;

export function chooseTarget(choice: TargetChoice | undefined): void {
  chosen = choice;
}

export function implementationFromEnvironment(env: NodeJS.ProcessEnv = process.env): Implementation {
  const command = chosen?.adapter ?? env[ENV.command];
  if (command) return new StdioAdapter(adapterSettings(command, env, chosen?.settings));
  return referenceFromEnvironment(env);
}

// uname -m spells arm64 as aarch64.
const ARCH_NAMES: Record<string, string> = { arm64: 'aarch64', amd64: 'x86_64' };

export function referenceFromEnvironment(env: NodeJS.ProcessEnv = process.env): ReferenceImplementation {
  // Loaded only when wanted: a run against an adapter does not compile the reference.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ReferenceImplementation } = require('../reference-impl/server') as typeof import('../reference-impl/server');
  const { variantById } = require('../reference-impl/variants') as typeof import('../reference-impl/variants');
  const variantKernel = (id: string | undefined) => variantById(id || undefined)?.kernel;
  const { DEFAULT_OPTIONS } = require('../reference-impl/machine') as typeof import('../reference-impl/machine');
  const { MUTANTS } = require('../reference-impl/mutants') as typeof import('../reference-impl/mutants');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const mutant = env.TCK_MUTANT || undefined;
  const { host, kernel: mutantKernel } = MUTANTS.find((m) => m.id === mutant) ?? {};
  const arch = env.TCK_REF_ARCH || host?.arch || DEFAULT_OPTIONS.arch;
  const byteOrder = env.TCK_REF_BYTE_ORDER || host?.byteOrder || DEFAULT_OPTIONS.byteOrder;
  if (byteOrder !== 'little' && byteOrder !== 'big') throw new Error(`TCK_REF_BYTE_ORDER must be little or big, not ${byteOrder}`);
  return new ReferenceImplementation({
    ...DEFAULT_OPTIONS,
    kernel: env.TCK_REF_KERNEL || mutantKernel || variantKernel(env.TCK_VARIANT) || DEFAULT_OPTIONS.kernel,
    arch: ARCH_NAMES[arch] ?? arch,
    byteOrder,
    mutant,
    variant: env.TCK_VARIANT || undefined,
    proposal: env.TCK_PROPOSAL || undefined,
  });
}
