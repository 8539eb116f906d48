/**
 * Small dense linear algebra for weighted ridge least squares: the normal
 * equations are accumulated as the data is read (exponential forgetting) and
 * solved by Cholesky.
 */

/** Running X'WX and X'Wy with exponential forgetting: each new row first scales the old sums by `decay`. */
export class DecayedNormalEquations {
  readonly p: number;
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  /** Sum of weights (for scaling the ridge penalty with the effective sample size). */
  weight = 0;
  private pendingDecay = 1;

  constructor(p: number, private readonly decay: number) {
    this.p = p;
    this.xtx = new Float64Array(p * p);
    this.xty = new Float64Array(p);
  }

  /** Ages the sums by one time step (call once per day, observed or not). */
  step(): void {
    this.pendingDecay *= this.decay;
    // Apply lazily: fold in when it gets small, to keep the work per day at O(nnz²).
    if (this.pendingDecay < 1e-3) this.flushDecay();
  }

  private flushDecay(): void {
    const f = this.pendingDecay;
    if (f === 1) return;
    for (let i = 0; i < this.xtx.length; i++) this.xtx[i]! *= f;
    for (let i = 0; i < this.p; i++) this.xty[i]! *= f;
    this.weight *= f;
    this.pendingDecay = 1;
  }

  /** Adds one observation given as sparse (index, value) pairs, weight 1 at the current time. */
  add(idx: ArrayLike<number>, val: ArrayLike<number>, n: number, y: number, w = 1): void {
    // Rows enter with weight w / pendingDecay so that a later flush scales them correctly.
    const s = w / this.pendingDecay;
    const p = this.p;
    for (let a = 0; a < n; a++) {
      const ia = idx[a]!;
      const va = val[a]! * s;
      this.xty[ia]! += va * y;
      const row = ia * p;
      for (let b = 0; b < n; b++) this.xtx[row + idx[b]!]! += va * val[b]!;
    }
    this.weight += s;
  }

  /** Solves (X'WX + diag(penalty)·W) β = X'Wy; penalties are per unit of total weight, so they mean the same at any decay. */
  solve(penalty: ArrayLike<number>): Float64Array {
    this.flushDecay();
    const p = this.p;
    const a = Float64Array.from(this.xtx);
    for (let i = 0; i < p; i++) a[i * p + i]! += penalty[i]! * Math.max(this.weight, 1e-9) + 1e-9;
    return choleskySolve(a, Float64Array.from(this.xty), p);
  }
}

/** Solves A x = b for a symmetric positive definite A (row-major p×p, overwritten). */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]!;
    for (let k = 0; k < j; k++) d -= a[j * p + k]! * a[j * p + k]!;
    // A tiny pivot means a column with no data: treat it as zero rather than fail.
    const l = Math.sqrt(Math.max(d, 1e-12));
    a[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= a[i * p + k]! * a[j * p + k]!;
      a[i * p + j] = s / l;
    }
  }
  const x = b;
  for (let i = 0; i < p; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= a[i * p + k]! * x[k]!;
    x[i] = s / a[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < p; k++) s -= a[k * p + i]! * x[k]!;
    x[i] = s / a[i * p + i]!;
  }
  return x;
}
