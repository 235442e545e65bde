import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, errorBodySchema } from '../domain/api-contract.ts';
import type { VerifyReport } from '../domain/diagnosis-contract.ts';
import { externalIdSchema } from '../domain/inputs.ts';
import {
  CANARY,
  call,
  type LiveStack,
  okVerifyBody,
  startLiveStack,
  TEST_EXTERNAL_ID,
} from '../testing/live-stack.ts';

// Issue 8, "The confused-deputy guard": with "AWS SDK Default" the server acts with its own
// identity, so it accepts only the External ID it issued (docs/design.md#security-rules, decision
// 005). Anything else is refused with 400 naming externalId, and no AWS call is made: counted at
// the proxy in front of the sandbox and in the sandbox's own request log.

let stack: LiveStack;
let tried = 0;
beforeAll(async () => {
  stack = await startLiveStack();
});
afterAll(async () => {
  await stack?.close();
  console.log(`[confused-deputy] ${tried} foreign External IDs refused without an AWS call`);
});

async function expectRefusedWithoutAws(externalId: string) {
  tried++;
  stack.aws!.reset();
  stack.sandbox.world.requestLog.clear();
  const res = await call(stack, API.verify, okVerifyBody(externalId));
  expect(res.status, `${JSON.stringify(externalId)}: ${res.text.slice(0, 300)}`).toBe(400);
  const body = errorBodySchema.parse(res.body);
  expect(body.error.fields.map((f) => f.path)).toContain('externalId');
  expect(stack.aws!.count(), 'AWS calls seen by the proxy').toBe(0);
  expect(stack.sandbox.world.requestLog.snapshot().total, 'AWS calls seen by the sandbox').toBe(0);
}

describe('sdk-default with an External ID this server did not issue', () => {
  const near: Array<[string, string]> = [
    ['another valid ID', 'some-other-customers-external-id'],
    ['the issued ID in upper case', TEST_EXTERNAL_ID.toUpperCase()],
    ['the issued ID with a suffix', `${TEST_EXTERNAL_ID}x`],
    ['the issued ID without its last character', TEST_EXTERNAL_ID.slice(0, -1)],
    ['the issued ID inside a longer one', `prefix:${TEST_EXTERNAL_ID}`],
    ['the sandbox demo ID', 'aws-connect-sandbox-demo'],
  ];
  it.each(near)('%s: 400 naming externalId, no AWS call', async (_name, id) => {
    await expectRefusedWithoutAws(id);
  });

  it('any other valid External ID (property): refused, no AWS call', async () => {
    const validId = fc
      .stringMatching(/^[\w+=,.@:/-]{2,64}$/)
      .filter((id) => id !== TEST_EXTERNAL_ID && externalIdSchema.safeParse(id).success);
    await fc.assert(fc.asyncProperty(validId, expectRefusedWithoutAws), { numRuns: 60 });
  });

  it('also when the rest of the request would succeed with other trust settings or a region', async () => {
    for (const extra of [
      { region: 'eu-west-1' },
      { durationSeconds: 900 },
      { sessionName: 'deputy' },
      { accountId: '222222222222' },
    ]) {
      tried++;
      stack.aws!.reset();
      const res = await call(stack, API.verify, {
        ...okVerifyBody('some-other-customers-external-id'),
        ...extra,
      });
      expect(res.status).toBe(400);
      expect(stack.aws!.count()).toBe(0);
    }
  });
});

describe('what the guard lets through', () => {
  it('sdk-default with the issued External ID verifies (the guard is not simply closed)', async () => {
    stack.aws!.reset();
    const res = await call(stack, API.verify, okVerifyBody(TEST_EXTERNAL_ID));
    expect(res.status).toBe(200);
    expect((res.body as VerifyReport).diagnosis.code).toBe('OK');
    expect(stack.aws!.count()).toBeGreaterThan(0);
  });

  it('the issued ID with surrounding spaces is the same ID (trimmed like every input)', async () => {
    const res = await call(stack, API.verify, okVerifyBody(`  ${TEST_EXTERNAL_ID} `));
    expect(res.status).toBe(200);
  });

  it('pasted access keys may use any External ID: the caller then acts with its own identity', async () => {
    stack.aws!.reset();
    const res = await call(stack, API.verify, {
      ...okVerifyBody('some-other-customers-external-id'),
      source: { kind: 'access-keys', ...CANARY.user },
    });
    expect(res.status).toBe(200);
    // The stack requires the issued ID, so AWS refuses: the verification ran and explains why.
    expect((res.body as VerifyReport).diagnosis.code).toBe('EXTERNAL_ID_MISMATCH');
    expect(stack.aws!.count()).toBeGreaterThan(0);
  });
});
