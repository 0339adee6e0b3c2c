/**
 * The one way the core reaches the Docker engine: a client for the engine the settings name (checked at
 * most every 5 s), how that engine hands out GPUs (read once), and the engine's status for the window.
 */
import type Docker from 'dockerode';
import type { EngineStatus, Settings } from '../../../shared/domain';
import { toErrorInfo } from '../../../shared/errors';
import type { DockerGpuSupport } from '../../../shared/hardware';
import { dockerGpuSupport } from '../hardware/docker-gpu';
import { checkDocker, connectDocker } from './connection';

export class DockerAccess {
  private client: Docker | null = null;
  private okAt = 0;
  private gpu: Promise<DockerGpuSupport> | null = null;

  constructor(private readonly settings: () => Settings) {}

  /** A client for the engine in use, checked to answer (it says what to do when Docker is not running). */
  async docker(): Promise<Docker> {
    if (!this.client) this.client = connectDocker({ host: this.settings().dockerHost || undefined });
    if (Date.now() - this.okAt > 5_000) {
      await checkDocker(this.client);
      this.okAt = Date.now();
    }
    return this.client;
  }

  /** How this engine hands out GPUs (the nvidia driver or CDI), read from GET /info once. */
  gpuSupport(): Promise<DockerGpuSupport> {
    return (this.gpu ??= this.docker().then((d) => dockerGpuSupport(d)));
  }

  /** The Docker host setting changed: the next call connects afresh. */
  hostChanged(): void {
    this.client = null;
    this.okAt = 0;
    this.gpu = null;
  }

  /** Whether the engine answers, with its version, or what is wrong and what to do. */
  async status(): Promise<EngineStatus['docker']> {
    try {
      const info = await checkDocker(connectDocker({ host: this.settings().dockerHost || undefined }));
      return { ok: true, version: info.version, apiVersion: info.apiVersion };
    } catch (e) {
      const info = toErrorInfo(e);
      return { ok: false, message: info.message, hint: info.hint };
    }
  }
}
