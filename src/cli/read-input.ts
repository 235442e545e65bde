import { readFile } from 'node:fs/promises';

// A file argument, or "-" for stdin, read as UTF-8 text; failures are one-line messages.

/** More than any input the commands accept; the schemas then say what the limit is. */
const MAX_BYTES = 1_000_000;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

export async function readInput(path: string, what: string): Promise<ReadResult> {
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_BYTES)
          return { ok: false, message: `${what} on stdin is larger than ${MAX_BYTES} bytes.` };
        chunks.push(chunk as Buffer);
      }
      return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
    }
    return { ok: true, text: await readFile(path, 'utf8') };
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
