/**
 * One small file of a local image, read without running it: a container is created (never started), the
 * file copied out of it through the engine's archive API, and the container removed.
 */
import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';

/** The file's bytes, or null when the image has no such file (or it is larger than `maxBytes`). */
export async function readImageFile(docker: Docker, image: string, path: string, maxBytes = 1024 * 1024): Promise<Buffer | null> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['/bin/true'],
    Cmd: [],
    Labels: { 'cogdesk.probe': 'true' },
    NetworkDisabled: true,
  });
  try {
    let archive: NodeJS.ReadableStream;
    try {
      archive = (await container.getArchive({ path })) as NodeJS.ReadableStream;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return null;
      throw e;
    }
    let found: Buffer | null = null;
    let tooLarge = false;
    const parser = new tar.Parser({
      onReadEntry: (entry) => {
        if (entry.type !== 'File' || found || tooLarge) return void entry.resume();
        if ((entry.size ?? 0) > maxBytes) {
          tooLarge = true;
          return void entry.resume();
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => (found = Buffer.concat(chunks)));
      },
    });
    await pipeline(Readable.from(archive as AsyncIterable<Buffer>), parser);
    return found;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
