/**
 * Work done one piece after another: each piece starts once the one before has settled, whether
 * it succeeded or failed (a failure is its caller's, never the next piece's).
 */
export type InTurn = <T>(work: () => Promise<T>) => Promise<T>;

export function inTurn(): InTurn {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = last.then(work);
    last = next.catch(() => undefined);
    return next;
  };
}
