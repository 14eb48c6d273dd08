// Building blocks shared by every part of the protocol schema.
import { z } from 'zod';
import { ERRNO_NAMES } from './errno';

export const Hex = z
  .string()
  .regex(/^(?:[0-9a-f]{2})*$/, 'bytes must be lower-case hex, two digits per byte')
  .describe('bytes as lower-case hex, two digits per byte');
export const Fd = z.number().int().min(0).describe('a file descriptor number in the adapter process');
export const U32 = z.number().int().min(0).max(0xffffffff);
export const U64 = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, 'a u64 travels as a decimal string')
  .refine((text) => text.length < 20 || BigInt(text) < 1n << 64n, 'a u64 is at most 18446744073709551615')
  .describe('an unsigned 64-bit value as a decimal string');
export const Count = z.number().int().min(0).max(1 << 24);
export const Path = z.string().min(1).startsWith('/');
export const ErrnoName = z.enum(ERRNO_NAMES).describe('the errno name the system call failed with');
