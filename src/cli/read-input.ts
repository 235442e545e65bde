import { open } from 'node:fs/promises';

// A file argument, or "-" for stdin, read as UTF-8 text without ever holding more than a bound:
// at most maxBytes + 1 bytes are read, so a huge file or an endless pipe costs no more than that.
// Failures are one-line messages that name the input.

/** More than any input the commands accept by default; the schemas then say what the limit is. */
const MAX_BYTES = 1_000_000;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

const tooLarge = (what: string, where: string, maxBytes: number): ReadResult => ({
  ok: false,
  message: `${what} ${where} is larger than ${maxBytes.toLocaleString('en-US')} bytes.`,
});

async function readStdin(limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

async function readFileHead(path: string, limit: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

export async function readInput(path: string, what: string, maxBytes = MAX_BYTES): Promise<ReadResult> {
  try {
    const bytes = path === '-' ? await readStdin(maxBytes + 1) : await readFileHead(path, maxBytes + 1);
    if (bytes.length > maxBytes) return tooLarge(what, path === '-' ? 'on stdin' : path, maxBytes);
    return { ok: true, text: bytes.toString('utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : 'it could not be read';
    return { ok: false, message: `cannot read ${what} ${path}: ${reason}.` };
  }
}
