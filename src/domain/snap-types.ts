// The six snapshot types, in pyznap's processing order for taking (largest period first).
export const SNAP_TYPES = ['yearly', 'monthly', 'weekly', 'daily', 'hourly', 'frequent'] as const;
export type SnapType = (typeof SNAP_TYPES)[number];

// Counts per type; `undefined` means "not set in the config" (pyznap's None).
export type Counts = Partial<Record<SnapType, number>>;

// Narrow a string to a SnapType without a cast at every call site.
export function isSnapType(s: string): s is SnapType {
  return (SNAP_TYPES as readonly string[]).includes(s);
}
