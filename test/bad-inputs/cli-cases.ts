/**
 * Bad inputs on the command line and the answer the built CLI must give (issue 11, item 9). Each row runs
 * `cogdesk run <fixture> -i ...` in test/integration/cli/bad-inputs.test.ts against the real fixture model.
 * In `inputs`, {fifo} is a named pipe and {dir} a folder made for the run. `predictions` is how many
 * predictions the history has afterwards: 0 when the input is refused before any container.
 */
export interface CliCase {
  name: string;
  fixture: 'echo' | 'file' | 'stream';
  inputs: string[];
  exitCode: number;
  stderr?: RegExp[];
  stdout?: RegExp[];
  /** Neither stdout nor stderr may match these (raw escape codes). */
  never?: RegExp[];
  predictions: 0 | 1;
}

const ESC = '\x1b';

export const CLI_CASES: CliCase[] = [
  {
    name: 'a named pipe as a file (it hung)',
    fixture: 'file',
    inputs: ['image=@{fifo}'],
    exitCode: 1,
    stderr: [/Error: .*\/pipe \(given for input "image"\) is a named pipe \(FIFO\), not a file/, /Only regular files can be sent/],
    predictions: 0,
  },
  {
    name: 'image=@ with no path (it sent the current folder)',
    fixture: 'file',
    inputs: ['image=@'],
    exitCode: 1,
    stderr: [/Error: Input "image=@" names no file: give a path after @/, /image=@photo\.jpg/],
    predictions: 0,
  },
  {
    name: 'a folder as a file',
    fixture: 'file',
    inputs: ['image=@{dir}'],
    exitCode: 1,
    stderr: [/is a folder, not a file/, /Give a file, not a folder/],
    predictions: 0,
  },
  {
    name: 'a device as a file',
    fixture: 'file',
    inputs: ['image=@/dev/zero'],
    exitCode: 1,
    stderr: [/\/dev\/zero \(given for input "image"\) is a character device, not a file/],
    predictions: 0,
  },
  {
    name: 'a data: URI with broken base64 (it "succeeded" with an empty file)',
    fixture: 'file',
    inputs: ['image=data:text/plain;base64,!!!!'],
    exitCode: 1,
    stderr: [/The input is not valid for this model/, /image is not a valid data: URI: its base64 data is malformed \("!" at position 1/],
    predictions: 0,
  },
  {
    name: 'times=1e309 (it said "got null")',
    fixture: 'echo',
    inputs: ['text=hi', 'times=1e309'],
    exitCode: 1,
    stderr: [/times is out of range: the number is too large to represent/],
    never: [/got null/],
    predictions: 0,
  },
  {
    name: 'a URL to a closed port (it gave the raw Python error)',
    fixture: 'file',
    inputs: ['image=http://127.0.0.1:9/x.txt'],
    exitCode: 1,
    stderr: [
      /Error: Prediction [a-z2-7]{26} failed: The model could not download image from http:\/\/127\.0\.0\.1:9\/x\.txt: connection refused\. Check that the URL is reachable from a container/,
      /cogdesk predictions show [a-z2-7]{26}/,
    ],
    never: [/Error: Prediction [a-z2-7]{26} failed: <urlopen error/],
    predictions: 1,
  },
  {
    name: 'terminal escape codes in the output: shown, not run',
    fixture: 'echo',
    inputs: [`text=${ESC}[31mred${ESC}]0;title${ESC}\\`, 'times=1'],
    exitCode: 0,
    stdout: [/^hello \\x1b\[31mred\\x1b\]0;title\\x1b\\\n$/],
    never: [new RegExp(ESC)],
    predictions: 1,
  },
  {
    name: 'terminal escape codes in streamed tokens: shown, not run',
    fixture: 'stream',
    inputs: [`prompt=${ESC}[2J`, 'n=2', 'delay=0'],
    exitCode: 0,
    stdout: [/^\\x1b\[2J-0 \\x1b\[2J-1 \n$/],
    never: [new RegExp(ESC)],
    predictions: 1,
  },
];
