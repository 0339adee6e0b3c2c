/**
 * Replicate's HTTP API and the local catalog cache: browse, search, read a model's page offline, and run
 * a public model here. The public surface of the `remote/` capability.
 */
export { createCatalog, type Catalog, type CatalogOptions } from './catalog';
export { parseModelId } from './catalog-ids';
export { API_URL_ENV, DEFAULT_API_URL, resolveApiUrl } from './api-url';
export { isRemoteError, RemoteError, type RemoteFailure } from './remote-error';
export {
  exampleInput,
  parseRemoteModelRef,
  remoteImageRef,
  REPLICATE_PREFIX,
  resolveRemoteRef,
  runRemoteModel,
  type RemoteModelRef,
  type RemoteResolution,
  type RemoteRunHost,
  type ResolveOptions,
} from './run-remote';
export {
  checkTokenShape,
  cliTokenStore,
  EnvTokenStore,
  FileTokenStore,
  memoryTokenStore,
  TOKEN_ENV,
  TOKEN_FILE_NAME,
  TOKEN_PAGE,
  type TokenStore,
} from './token';
