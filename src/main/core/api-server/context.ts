/** What the route handlers share: the server's state, one request's context, and the route shape. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PredictionRequest } from '../../../shared/api';
import type { Prediction } from '../../../shared/domain';
import type { VersionSchema } from '../../../shared/schema';
import type { Core } from '../index';
import type { ApiCredentials } from './auth';
import type { FileStore } from './files';
import type { HardwareSource } from './hardware';
import type { Links, Serializer } from './serialize';
import type { WebhookDispatcher } from './webhooks';

export interface ServerLimits {
  /** JSON request bodies. */
  maxBodyBytes: number;
  /** POST /v1/files bodies. */
  maxUploadBytes: number;
  /** Items per page of GET /v1/predictions, /v1/models, /v1/files. */
  pageSize: number;
}

export interface ServerState {
  core: Core;
  credentials: ApiCredentials;
  serializer: Serializer;
  files: FileStore;
  webhooks: WebhookDispatcher;
  hardware: HardwareSource;
  limits: ServerLimits;
  /** Open event streams, ended on close. */
  streams: Set<ServerResponse>;
  /** `Cancel-After` deadlines of running predictions. */
  deadlines: Map<string, { at: string; timer: NodeJS.Timeout }>;
  schemas: Map<string, VersionSchema>;
  /** Running a model that is not here on Replicate (routing.ts). */
  routing: {
    /** On when the server was started with it, else the saved `routeToReplicate` setting (read at each request). */
    enabled(): boolean;
    /** Creates the prediction on Replicate with the user's token and records it (the core's createRemotePrediction). */
    createRemote(request: PredictionRequest): Promise<Prediction>;
  };
  /** The port the server listens on (a URL pointing back at it is one of its own). */
  port: () => number;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  links: Links;
  /** The path's captured parts, decoded. */
  params: string[];
}

export type Handler = (ctx: RequestContext, s: ServerState) => Promise<void>;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Matched against the path after `/v1` (and an optional `/data-uri` before it). */
  pattern: RegExp;
  handler: Handler;
  /** For URLs the server hands out: true when the URL's own signature lets it through without the token. */
  signed?: (ctx: RequestContext, s: ServerState) => boolean;
}
