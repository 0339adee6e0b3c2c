/** Hardware, the account, and the webhook signing secret. */
import { hostname, userInfo } from 'node:os';
import type { Handler, Route } from '../context';
import { sendJson } from '../http';

const hardware: Handler = async (ctx, s) => {
  sendJson(ctx.res, 200, await s.hardware());
};

function username(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
}

/** `GET /v1/account`: the person this machine runs for (some code calls it to check its token). */
const account: Handler = async (ctx) => {
  sendJson(ctx.res, 200, { type: 'user', username: username(), name: `Cogdesk on ${hostname()}` });
};

/** `GET /v1/webhooks/default/secret`: the `whsec_` secret that webhook receivers check signatures with. */
const webhookSecret: Handler = async (ctx, s) => {
  sendJson(ctx.res, 200, { key: s.credentials.webhookSecret });
};

export const miscRoutes: Route[] = [
  { method: 'GET', pattern: /^\/hardware$/, handler: hardware },
  { method: 'GET', pattern: /^\/account$/, handler: account },
  { method: 'GET', pattern: /^\/webhooks\/default\/secret$/, handler: webhookSecret },
];
