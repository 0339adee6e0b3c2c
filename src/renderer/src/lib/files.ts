import type { FileDraft } from '../form/fields';

/** A picked or dropped file as a data: URI (the engine stores it as a file): the renderer never reads paths. */
export function readFileDraft(file: File): Promise<FileDraft> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error(`Cannot read ${file.name}: ${reader.error?.message ?? 'unknown error'}`));
    reader.onload = () => {
      let value = String(reader.result);
      // An unknown type reads as "data:;base64,": name it so the model gets a usable file.
      if (value.startsWith('data:;')) value = `data:application/octet-stream;${value.slice(6)}`;
      resolve({ value, name: file.name, mime: file.type || 'application/octet-stream', sizeBytes: file.size });
    };
    reader.readAsDataURL(file);
  });
}

/** The text inside a data: URI (base64 or percent-encoded). */
export function dataUriText(uri: string): string {
  const comma = uri.indexOf(',');
  const meta = uri.slice(0, comma);
  const body = uri.slice(comma + 1);
  if (!/;base64$/i.test(meta)) return decodeURIComponent(body);
  const bin = atob(body);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
