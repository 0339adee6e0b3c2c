import net from 'node:net';
import { networkInterfaces } from 'node:os';
import Docker from 'dockerode';

/**
 * The same engine reached over TCP at one of this machine's network addresses (not loopback), as Cogdesk
 * sees an engine elsewhere (the Docker host setting, DOCKER_HOST): a forwarder to the engine's socket that
 * notes whether any request carried registry credentials.
 */
export async function engineElsewhere(): Promise<{ docker: Docker; address: string; sawCredentials: () => boolean; close: () => Promise<void> }> {
  const ip = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!ip) throw new Error('this machine has no network address but loopback: the test needs one to reach its engine as another machine would');
  let credentials = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const engine = net.connect('/var/run/docker.sock');
    sockets.add(client).add(engine);
    client.on('data', (chunk: Buffer) => {
      if (/x-registry-auth|^POST \S*\/auth HTTP/im.test(chunk.toString('latin1'))) credentials = true;
    });
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  await new Promise<void>((res) => server.listen(0, ip, res));
  const port = (server.address() as net.AddressInfo).port;
  return {
    docker: new Docker({ host: ip, port, protocol: 'http' }),
    address: `tcp://${ip}:${port}`,
    sawCredentials: () => credentials,
    close: async () => {
      for (const so of sockets) so.destroy();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}
