import { z } from 'zod';

// Faults the sandbox injects so every network-level diagnosis (THROTTLED, STS_TIMEOUT,
// STS_UNREACHABLE, SOURCE_CLOCK_SKEW, UNKNOWN on a broken body) can be produced over real HTTP.
// Each fault fires for the `next` N matching requests (deterministic, for tests) and then for a
// `rate` share of them (0..1, random). See src/sandbox/README.md for the JSON and examples.

const actionName = z
  .string()
  .regex(
    /^((sts|iam|organizations):)?[A-Za-z]+$/,
    'An action is a name like "AssumeRole" or "sts:AssumeRole".',
  );

const triggerShape = {
  /** Share of matching requests that get the fault, 0..1. */
  rate: z.number().min(0).max(1).optional(),
  /** The next N matching requests get the fault; counts down as they arrive. */
  next: z.number().int().min(0).optional(),
  /** Only these actions ("AssumeRole" or "sts:AssumeRole"); default: the top-level `actions`, else all. */
  actions: z.array(actionName).optional(),
};
const triggerSchema = z.object(triggerShape).strict();

export const faultsSchema = z
  .object({
    /** Added before every matching request is answered. */
    latencyMs: z.number().int().min(0).max(600_000).default(0),
    /** Limit every fault (and latencyMs) to these actions unless a fault names its own. */
    actions: z.array(actionName).optional(),
    /** 400 Throttling "Rate exceeded", as STS and IAM answer when a rate limit is hit. */
    throttle: triggerSchema.optional(),
    /** 500 InternalFailure or 503 ServiceUnavailable. */
    serverError: z
      .object({ ...triggerShape, status: z.union([z.literal(500), z.literal(503)]).default(500) })
      .strict()
      .optional(),
    /** The TCP connection is reset before any answer (ECONNRESET in the client). */
    reset: triggerSchema.optional(),
    /** The request is never answered (the client's timeout fires). */
    hang: triggerSchema.optional(),
    /** 200 with a truncated XML body that no parser accepts. */
    malformed: triggerSchema.optional(),
    /**
     * The sandbox's clock runs this many seconds ahead (negative: behind) of the real one, as if the
     * client's clock were off by the opposite amount. STS allows 15 minutes of skew.
     */
    clockSkewSeconds: z.number().int().min(-31_536_000).max(31_536_000).default(0),
    /**
     * The Date response header. The AWS SDK v3 corrects its clock from it and retries, so a skew only
     * reaches the caller when it is withheld: "auto" omits it while clockSkewSeconds is not 0,
     * "send" always sends the sandbox's (skewed) time, "omit" never sends it.
     */
    dateHeader: z.enum(['auto', 'send', 'omit']).default('auto'),
    /** A stack deployed at run time is not assumable for this long (IAM is eventually consistent). */
    propagationDelayMs: z.number().int().min(0).max(600_000).default(0),
  })
  .strict();

export type Faults = z.infer<typeof faultsSchema>;
export type FaultsInput = z.input<typeof faultsSchema>;
export type FaultKind = 'throttle' | 'serverError' | 'reset' | 'hang' | 'malformed';

/** In the order they are tried: the first that fires decides the answer. */
const KINDS: readonly FaultKind[] = ['reset', 'hang', 'serverError', 'throttle', 'malformed'];

export interface FaultDecision {
  latencyMs: number;
  kind: FaultKind | null;
  status?: 500 | 503;
}

function matches(actions: string[] | undefined, service: string, action: string): boolean {
  if (!actions) return true;
  return actions.some((a) => a === action || a === `${service}:${action}`);
}

/** The live fault settings with their "next N" counters. */
export class FaultState {
  private faults: Faults = faultsSchema.parse({});
  private remaining = new Map<FaultKind, number>();

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces every fault setting (counters restart); throws a ZodError on bad input. */
  set(input: FaultsInput | undefined): Faults {
    this.faults = faultsSchema.parse(input ?? {});
    this.remaining.clear();
    for (const kind of KINDS) {
      const next = this.faults[kind]?.next;
      if (next) this.remaining.set(kind, next);
    }
    return this.faults;
  }

  get current(): Faults {
    return this.faults;
  }

  /** The settings with each `next` showing how many requests it still applies to. */
  snapshot(): Faults {
    const copy: Faults = structuredClone(this.faults);
    for (const kind of KINDS) {
      const f = copy[kind];
      if (f && f.next !== undefined) f.next = this.remaining.get(kind) ?? 0;
    }
    return copy;
  }

  get clockSkewMs(): number {
    return this.faults.clockSkewSeconds * 1000;
  }

  get sendDateHeader(): boolean {
    const mode = this.faults.dateHeader;
    return mode === 'send' || (mode === 'auto' && this.faults.clockSkewSeconds === 0);
  }

  /** Decides what happens to one AWS request; consumes a `next` slot of the fault that fires. */
  decide(service: string, action: string): FaultDecision {
    const f = this.faults;
    const latencyMs = f.latencyMs > 0 && matches(f.actions, service, action) ? f.latencyMs : 0;
    for (const kind of KINDS) {
      const trigger = f[kind];
      if (!trigger || !matches(trigger.actions ?? f.actions, service, action)) continue;
      const left = this.remaining.get(kind) ?? 0;
      let fires = false;
      if (left > 0) {
        this.remaining.set(kind, left - 1);
        fires = true;
      } else if (trigger.rate && this.random() < trigger.rate) {
        fires = true;
      }
      if (!fires) continue;
      return kind === 'serverError'
        ? { latencyMs, kind, status: f.serverError?.status ?? 500 }
        : { latencyMs, kind };
    }
    return { latencyMs, kind: null };
  }
}
