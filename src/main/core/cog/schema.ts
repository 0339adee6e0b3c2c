// Kept only until the lead's files (core/index.ts and the services being written) import ../../../shared/schema; the lead removes it.
export * from '../../../shared/schema';
