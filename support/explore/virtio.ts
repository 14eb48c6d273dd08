import type { Client } from '../contract/client';
import type { ImplementationInfo } from '../contract/protocol';
import type { ExploreOptions, ExploreResult } from './explore';

export async function exploreVirtio(_o: ExploreOptions, _c: Client, _i: ImplementationInfo, result: ExploreResult, _s: unknown, _t: number): Promise<void> {
  result.notApplicable = 'not yet';
}
