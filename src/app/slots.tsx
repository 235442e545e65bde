import { lazy } from 'react';
import type { ConnectSlots } from '../features/connect/step-props.ts';

// The troubleshoot pieces the connect steps show, composed here because features never import
// each other. Both load on demand: most first screens never need them (issue 7).

const Problem = lazy(() => import('./problem-panel.tsx').then((m) => ({ default: m.ProblemPanel })));
const TrustChain = lazy(() =>
  import('../features/troubleshoot/trust-chain.tsx').then((m) => ({ default: m.TrustChain })),
);

export const SLOTS: ConnectSlots = { Problem, TrustChain };
