import type { ConnectSlots } from '../features/connect/step-props.ts';
import { loadable } from '../lib/loadable.ts';

// The troubleshoot pieces the connect steps show, composed here because features never import
// each other. Both load on demand: most first screens never need them (issue 7).

const Problem = loadable(() => import('./problem-panel.tsx'), 'ProblemPanel');
/** Preloaded with the result step when the page drew the tab's copy of it (src/main.tsx). */
export const TrustChain = loadable(() => import('../features/troubleshoot/trust-chain.tsx'), 'TrustChain');

export const SLOTS: ConnectSlots = { Problem, TrustChain };
