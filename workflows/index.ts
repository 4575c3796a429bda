// The pure workflow layer: shared types, step rules, and the vetting statechart.
export * from './types';
export * from './rules/values';
export * from './rules/agenda';
export * from './rules/risk';
export * from './rules/perception';
export * from './machine';
