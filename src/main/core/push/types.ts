/** The push types live in the contract (src/shared/push.ts). */
export type * from '../../../shared/push';
