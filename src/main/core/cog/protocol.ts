/** The wire shapes of a running Cog container (see reference/cog-http.md). */

export type CogHealthStatus = 'STARTING' | 'READY' | 'BUSY' | 'SETUP_FAILED' | 'DEFUNCT' | 'UNHEALTHY';

export interface CogHealth {
  status: CogHealthStatus;
  setup?: { started_at?: string; completed_at?: string | null; logs?: string; status?: string };
}

export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';

export interface CogPredictionRequest {
  id?: string;
  input: Record<string, unknown>;
  webhook?: string;
  webhook_events_filter?: WebhookEvent[];
}

export interface CogPredictionResponse {
  id?: string | null;
  input?: Record<string, unknown>;
  output?: unknown;
  logs?: string;
  error?: string | null;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  created_at?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  metrics?: { predict_time?: number } | null;
}

/** pydantic's 422 body. */
export interface CogValidationBody {
  detail: Array<{ loc: Array<string | number>; msg: string; type: string }> | string;
}
