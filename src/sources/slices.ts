/**
 * Long work in slices (calendar expansion, the phone book index): a loop calls the slicer between
 * small steps, and it gives the event loop back (setImmediate: pending I/O first) once the current
 * slice has run for `sliceMs`. Phone requests and TFTP packets are then never kept waiting longer
 * than about one slice.
 */

/** Work done in one go before the event loop is given back (a phone waits at most about this long). */
export const SLICE_MS = 20;

export type Slicer = () => Promise<void>;

export function createSlicer(sliceMs = SLICE_MS): Slicer {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    started = performance.now();
  };
}
