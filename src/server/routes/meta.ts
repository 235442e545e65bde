import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { API, type ConfigResponse } from '../../domain/api-contract.ts';
import { partitionForRegion } from '../../domain/regions.ts';
import type { ServerConfig } from '../config.ts';

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
    externalId,
    region: config.aws.region,
    partition: partitionForRegion(config.aws.region),
    version: VERSION,
  };
}

export function metaRoutes(app: FastifyInstance, body: ConfigResponse): void {
  app.get(API.health, async () => ({ ok: true }));
  app.get(API.config, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return body;
  });
}
