import type { CogdeskBridge } from '../shared/api';

declare global {
  interface Window {
    cogdesk: CogdeskBridge;
  }
}

export {};
