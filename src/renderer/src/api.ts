import type { CogdeskBridge } from '../../shared/api';

/** The contract as the preload exposes it; the renderer knows nothing else of the engine. */
export const api: CogdeskBridge = window.cogdesk;
