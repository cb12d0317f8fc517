// One file per UTC day: `YYYY-MM-DD.jsonl`. Day strings compare correctly as strings.
const NAME = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The day a file name holds, or null for anything else in the directory. */
export function dayOfFile(name: string): string | null {
  return NAME.exec(name)?.[1] ?? null;
}
