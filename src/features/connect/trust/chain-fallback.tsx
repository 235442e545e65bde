// What shows while the trust chain's own chunk loads (the trust step's live check, the result).
// Not kept in the tab's copy: over a copy, the app draws the chain at once (src/main.tsx).
export const CHAIN_FALLBACK = (
  <p className="text-sm" data-transient>
    Drawing the trust chain…
  </p>
);
