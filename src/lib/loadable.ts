import { type ComponentType, createElement, lazy, useState } from 'react';

// biome-ignore lint/suspicious/noExplicitAny: a module's component, whatever its props.
type AnyComponent = ComponentType<any>;

/**
 * A component whose code loads on demand, like React.lazy, with `preload` to fetch it early. Once
 * its code is here it renders at once instead of suspending: a step the page drew from the tab's
 * copy stays on screen until React draws the same step (docs/decisions/065), and a step preloaded
 * while the previous one was in use shows no "Loading…".
 */
export function loadable<M extends Record<K, AnyComponent>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
): M[K] & { preload: () => Promise<M> } {
  let loaded: AnyComponent | undefined;
  const preload = () =>
    load().then((m) => {
      loaded = m[name];
      return m;
    });
  const Lazy = lazy(() => preload().then((m) => ({ default: m[name] })));
  // biome-ignore lint/correctness/noComponentHookFactories: made once per module at load, as React.lazy is.
  function Loadable(props: object) {
    // Chosen once per mount: turning from Lazy into the loaded component would remount the step
    // and lose what the user typed into it.
    const [Component] = useState<AnyComponent>(() => loaded ?? Lazy);
    return createElement(Component, props);
  }
  return Object.assign(Loadable, { preload }) as unknown as M[K] & { preload: () => Promise<M> };
}
