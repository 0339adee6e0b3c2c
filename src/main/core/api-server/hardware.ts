/** `GET /v1/hardware`: what this machine offers, in Replicate's `[{name, sku}]` shape. */
import { hardwareOverview } from '../hardware/overview';
import { BUILTIN_SKUS } from '../hardware/skus';

export interface HardwareSku {
  name: string;
  sku: string;
}

export type HardwareSource = () => HardwareSku[] | Promise<HardwareSku[]>;

/**
 * The CPU always, and the SKU the local GPUs match exactly (`Nvidia H100 GPU`, `gpu-h100`), detected
 * once per server. No exact match lists the CPU only: the API never claims hardware it does not have.
 */
export function localHardware(): HardwareSource {
  let once: Promise<HardwareSku[]> | null = null;
  return () =>
    (once ??= hardwareOverview({ systemInfo: false }).then(({ match }) => {
      const list: HardwareSku[] = [{ name: 'CPU', sku: 'cpu' }];
      const sku = match.kind === 'exact' && match.sku ? BUILTIN_SKUS.find((s) => s.sku === match.sku) : undefined;
      if (sku?.gpu) {
        const count = sku.gpuCount > 1 ? `${sku.gpuCount}x ` : '';
        list.push({ name: `${count}Nvidia ${sku.gpu} GPU`, sku: sku.sku });
      }
      return list;
    }));
}
