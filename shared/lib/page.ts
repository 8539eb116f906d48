/** One page of a listing; the same shape every store pages with. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last one. */
  next?: string;
}
