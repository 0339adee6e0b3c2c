import { clientFromBridge, type CogdeskClient } from '../../shared/api';

/** The contract as the preload exposes it, errors rethrown as CogdeskError; the renderer knows nothing else. */
export const api: CogdeskClient = clientFromBridge(window.cogdesk);
