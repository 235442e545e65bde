import { describe, expect, it } from 'vitest';
import { DEVIATIONS, OpenApiContract } from './prowler-openapi.ts';

// The validator the contract tests rely on must refuse what the document refuses.

const contract = new OpenApiContract();
const PROVIDER = '7c0ff2a4-5c4e-4a53-9d0e-2f3c1b7d9e01';
const secretBody = (secret: Record<string, unknown>) => ({
  data: {
    type: 'provider-secrets',
    attributes: { secret_type: 'role', secret },
    relationships: { provider: { data: { type: 'providers', id: PROVIDER } } },
  },
});
const post = (path: string, body: unknown, contentType = 'application/vnd.api+json') => ({
  method: 'POST',
  path,
  query: {},
  contentType,
  body,
});

describe('the OpenAPI contract', () => {
  it('accepts a role secret and refuses one without external_id, or with a duration out of range', () => {
    const ok = { role_arn: 'arn:aws:iam::222222222222:role/ProwlerScan', external_id: 'abc' };
    expect(contract.checkRequest(post('/api/v1/providers/secrets', secretBody(ok)))).toEqual([]);
    expect(
      contract.checkRequest(post('/api/v1/providers/secrets', secretBody({ role_arn: ok.role_arn }))),
    ).not.toEqual([]);
    expect(
      contract.checkRequest(post('/api/v1/providers/secrets', secretBody({ ...ok, session_duration: 60 }))),
    ).not.toEqual([]);
  });

  it('refuses another content type, an undeclared query parameter, a body where none is taken', () => {
    const provider = { data: { type: 'providers', attributes: { provider: 'aws', uid: '222222222222' } } };
    expect(contract.checkRequest(post('/api/v1/providers', provider))).toEqual([]);
    expect(contract.checkRequest(post('/api/v1/providers', provider, 'application/json'))[0]).toContain(
      'content type',
    );
    expect(
      contract.checkRequest({
        method: 'GET',
        path: '/api/v1/providers',
        query: { 'filter[nope]': 'x' },
        contentType: null,
        body: undefined,
      }),
    ).toHaveLength(1);
    expect(contract.checkRequest(post(`/api/v1/providers/${PROVIDER}/connection`, {}))[0]).toContain(
      'no request body',
    );
    expect(contract.checkRequest(post('/api/v1/providers/not-a-uuid/connection', undefined))[0]).toContain(
      '{id}',
    );
  });

  it('refuses an answer that is not the documented resource, and an error without the error shape', () => {
    const task = { data: { type: 'tasks', id: PROVIDER, attributes: { state: 'completed' } } };
    const path = `/api/v1/tasks/${PROVIDER}`;
    const res = (status: number, body: unknown) => ({
      method: 'GET',
      path,
      status,
      contentType: 'application/vnd.api+json',
      body,
    });
    expect(contract.checkResponse(res(200, task))).toEqual([]);
    expect(contract.checkResponse(res(200, { data: { ...task.data, type: 'providers' } }))).not.toEqual([]);
    expect(
      contract.checkResponse(res(200, { data: { ...task.data, attributes: { state: 'done' } } })),
    ).not.toEqual([]);
    expect(contract.checkResponse(res(404, { detail: 'Not found.' }))).not.toEqual([]);
    expect(
      contract.checkResponse(res(404, { errors: [{ detail: 'Not found.', code: 'not_found' }] })),
    ).toEqual([]);
  });

  it('lists each difference from the running service it patches in', () => {
    expect(DEVIATIONS).toHaveLength(4);
  });
});
