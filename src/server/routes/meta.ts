import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { API, type ConfigResponse } from '../../domain/api-contract.ts';
import { partitionForRegion } from '../../domain/regions.ts';
import type { ServerConfig } from '../config.ts';
import type { Tenancy } from '../tenancy.ts';

const VERSION: string = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
).version;

/** What GET /api/config answers; the page carries the same (static.ts). */
export function configResponse(config: ServerConfig, externalId: string, sandbox: boolean): ConfigResponse {
  return {
    flavour: config.flavour,
    productName: config.productName,
    deployment: config.deployment,
    sandbox,
    templateUrl: config.templateUrl,
    organizationTemplateUrl: config.organizationTemplateUrl,
    externalId,
    // Whether it is on, nothing more: the URL and the key stay on the server.
    prowler: config.prowler !== null,
    region: config.aws.region,
    partition: partitionForRegion(config.aws.region),
    version: VERSION,
  };
}

export function metaRoutes(app: FastifyInstance, body: ConfigResponse, tenancy: Tenancy): void {
  app.get(API.health, async () => ({ ok: true }));
  app.get(API.config, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    // Hosted: this session's own External ID, never the installation's or another session's.
    return tenancy.kind === 'session' ? { ...body, externalId: await tenancy.externalId(req, reply) } : body;
  });
}
