import './zod-messages.ts';
export * from './items.ts';
export * from './policy.ts';
export * from './ops.ts';
export * from './events.ts';
