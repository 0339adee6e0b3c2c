import { describe, expect, it } from 'vitest';
import { fieldErrorsFrom422 } from '../../../src/main/core/cog/client';
import { demuxLogs } from '../../../src/main/core/docker/containers';

describe("the container's answers", () => {
  it("maps pydantic's 422 (as captured from Cog 0.15.5) to field errors", () => {
    const body = { detail: [{ loc: ['body', 'input', 'times'], msg: 'ensure this value is less than or equal to 10', type: 'value_error.number.not_le' }] };
    expect(fieldErrorsFrom422(body)).toEqual([{ field: 'times', code: 'range', message: 'times: ensure this value is less than or equal to 10' }]);
    expect(fieldErrorsFrom422({ detail: [{ loc: ['body', 'input', 'text'], msg: 'field required', type: 'value_error.missing' }] })[0].code).toBe('required');
    expect(fieldErrorsFrom422({ detail: 'Already running a prediction' })).toEqual([{ field: '', code: 'invalid', message: 'Already running a prediction' }]);
  });

  it("reads Docker's multiplexed log frames, and plain text from a TTY container", () => {
    const frame = (stream: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    expect(demuxLogs(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n');
    expect(demuxLogs(Buffer.from('plain\n'))).toBe('plain\n');
  });
});
