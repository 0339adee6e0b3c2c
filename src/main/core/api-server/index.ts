/**
 * The local API: Replicate's prediction API on 127.0.0.1 (`cogdesk serve`, and the app while it is open).
 * `startApiServer(core, options)` returns `{url, origin, port, token, webhookSecret, close()}`.
 */
export { startApiServer, DEFAULT_API_PORT, DEFAULT_LIMITS, type ApiServer, type ApiServerOptions } from './server';
export { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './connections';
export { SIGNED_URL_LIFETIME_MS } from './signed-urls';
export { loadOrCreateCredentials, TOKEN_FILE, type ApiCredentials } from './auth';
export { localHardware, type HardwareSku, type HardwareSource } from './hardware';
export { apiModelName } from './names';
