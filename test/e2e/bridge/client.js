/*
 * The test bridge's page side, injected before the renderer loads (Playwright's addInitScript, or a
 * <script> the bridge server adds when run by hand): `window.cogdesk` implementing CogdeskBridge over HTTP
 * on the page's own origin. Each call is POST /call/<method> with the arguments as a JSON array, answered
 * with the IpcResult; `on` listens on one EventSource at /events. A plain function expression, called by the
 * server with the contract's method and event names.
 */
(function installCogdeskBridge(methods, events) {
  'use strict';
  async function call(method, args) {
    let res;
    try {
      res = await fetch('/call/' + method, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
    } catch (e) {
      return { ok: false, error: { code: 'internal', message: 'The test bridge did not answer (' + e.message + ')', hint: 'Start the bridge server again.' } };
    }
    if (!res.ok) {
      return { ok: false, error: { code: 'internal', message: 'The test bridge answered HTTP ' + res.status + ' to ' + method, details: await res.text() } };
    }
    return res.json();
  }
  const bridge = {};
  for (const method of methods) bridge[method] = (...args) => call(method, args);
  let source = null;
  bridge.on = (event, listener) => {
    if (!events.includes(event)) throw new Error('unknown event ' + String(event));
    if (!source) source = new EventSource('/events');
    const wrapped = (e) => listener(JSON.parse(e.data));
    source.addEventListener(event, wrapped);
    return () => source.removeEventListener(event, wrapped);
  };
  Object.defineProperty(window, 'cogdesk', { value: Object.freeze(bridge), writable: false, configurable: false });
})
