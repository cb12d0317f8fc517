// Structured logs: one JSON object per line on stdout (time, level, msg, then fields).
type Level = 'debug' | 'info' | 'warn' | 'error';

export type LogFn = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

export const log: LogFn = (level, msg, fields) => {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n');
};

/** An error as plain fields for a log line (no stack: the message and code say what happened). */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code ? { error: err.message, code } : { error: err.message };
  }
  return { error: String(err) };
}
