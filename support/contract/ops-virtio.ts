// Virtio group administration: the owner (an SR-IOV PF) executes admin commands
// for its members; the translator (virtio-vfio-pci) is reached through the
// VFIO operations and may show what it sent to the owner.
import { z } from 'zod';
import { Hex, Path, U32 } from './wire';

export const virtioRequests = [
  z.object({ op: z.literal('admin_command'), owner: Path, data: Hex, writable_length: U32 })
    .describe('submit one admin command: data is the device-readable part (header then command data)'),
  z.object({ op: z.literal('translator_trace'), path: Path })
    .describe('what the translator sent to the owner since the last call: admin commands and notify writes'),
] as const;

const TraceEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('admin'), data: Hex, writable_length: U32 }),
  z.object({ kind: z.literal('notify'), bar: U32, offset: z.string(), data: Hex }),
]);

export const virtioResults = {
  admin_command: z.object({ status: U32, status_qualifier: U32, result: Hex, used_length: U32 }),
  translator_trace: z.object({ events: z.array(TraceEvent) }),
};
