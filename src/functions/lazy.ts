/**
 * A factory that builds once and caches, but builds again after a failure: registration is
 * synchronous at app start while clients are built on first use, and a transient outage while
 * building must not leave a worker with a cached failure.
 */
export function lazy<T>(build: () => Promise<T> | T): () => Promise<T> {
  let ready: Promise<T> | undefined;
  return () => {
    if (ready === undefined) {
      const building = Promise.resolve().then(build);
      ready = building;
      building.catch(() => {
        if (ready === building) ready = undefined;
      });
    }
    return ready;
  };
}
