/** Webhook targets of a create body: link-local addresses are refused. */
import { describe, expect, it } from 'vitest';
import { webhookTargetProblem } from '../../../src/main/core/api-server/create-body';

describe('webhook targets', () => {
  it('refuse link-local addresses, IPv4 and IPv6, however written', async () => {
    for (const u of ['http://169.254.169.254/', 'http://169.254.0.1:81/x', 'http://[fe80::1]/', 'http://[febf::ffff]/', 'http://[::ffff:169.254.1.1]/', 'http://2852039166/', 'http://0xa9fea9fe/']) {
      expect(await webhookTargetProblem(new URL(u)), u).toMatch(/link-local address/);
    }
    for (const u of ['http://127.0.0.1:9/', 'https://192.168.1.10/', 'http://[::1]/', 'http://[fec0::1]/', 'http://localhost:8080/']) {
      expect(await webhookTargetProblem(new URL(u)), u).toBeNull();
    }
  });
});
