// Parameter types shared by every area's steps.
import { defineParameterType } from '@cucumber/cucumber';
import { isErrnoName } from '../support/contract/errno';

defineParameterType({
  name: 'errno',
  regexp: /E[A-Z0-9]+/,
  transformer: (name: string) => {
    if (!isErrnoName(name)) throw new Error(`${name} is not an errno name the contract knows`);
    return name;
  },
});

// Bytes: 0x-prefixed hex (0x48656c6c6f) or quoted text ("Hello").
defineParameterType({
  name: 'bytes',
  regexp: /0x(?:[0-9a-fA-F]{2})*|"[^"]*"/,
  transformer: (text: string) =>
    text.startsWith('0x') ? new Uint8Array(Buffer.from(text.slice(2), 'hex')) : new Uint8Array(Buffer.from(text.slice(1, -1), 'latin1')),
});

// A 64-bit value, decimal or 0x-prefixed hex.
defineParameterType({
  name: 'u64',
  regexp: /0x[0-9a-fA-F]+|\d+/,
  transformer: (text: string) => BigInt(text),
});
