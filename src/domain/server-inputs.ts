import * as z from 'zod/mini';
import { externalIdSchema } from './inputs.ts';

// Inputs only the server and the CLI take (environment variables and flags), apart from
// inputs.ts so the browser's first screen does not carry them (issue 7 budgets: zod/mini schemas
// are built when the module loads, so an unused one is not tree-shaken).

/**
 * An External ID this installation issues or is configured with. The server accepts no other in
 * SDK-default mode, so it must be unguessable: 16 characters or more (an issued one is 128 random
 * bits in hex). The server's configuration and `aws-connect template` use this one schema.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 */
export const ISSUED_EXTERNAL_ID_MIN_LENGTH = 16;
export const issuedExternalIdSchema = externalIdSchema.check(
  z.minLength(
    ISSUED_EXTERNAL_ID_MIN_LENGTH,
    'The server accepts only an External ID of 16 characters or more of random text, e.g. the output of `openssl rand -hex 16`.',
  ),
);

const PORT_MESSAGE = 'A port is a whole number from 0 to 65535 (0 picks a free one).';
/** A TCP port as typed (PORT, `--port`): text in, number out. */
export const portSchema = z.pipe(
  z.string({ error: PORT_MESSAGE }).check(z.trim(), z.regex(/^\d{1,5}$/, PORT_MESSAGE)),
  z.pipe(
    z.transform((v: string) => Number(v)),
    z.number().check(z.maximum(65_535, PORT_MESSAGE)),
  ),
);

/** A listen address (HOST, `--host`). */
export const listenHostSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(/^[\w.:[\]-]+$/, 'A listen address is an IP address or host name, such as 127.0.0.1 or 0.0.0.0.'),
  );
