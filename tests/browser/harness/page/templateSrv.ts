/**
 * Stand-in for Grafana's TemplateSrv: replaces `$name`, `${name}` and `[[name]]` from the scoped variables
 * a caller passes and the dashboard variables the harness was given. Unknown variables stay as written,
 * as in Grafana.
 */
import type { ScopedVars, TimeRange } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

const VARIABLE = /\$(\w+)|\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]/g;

export function createTemplateSrv(variables: Record<string, string>): TemplateSrv {
  const srv = {
    getVariables: () => [],
    replace(target?: string, scopedVars?: ScopedVars): string {
      if (!target) {
        return target ?? '';
      }
      return target.replace(VARIABLE, (match, a?: string, b?: string, c?: string) => {
        const name = (a ?? b ?? c)!;
        const scoped = scopedVars?.[name];
        if (scoped !== undefined) {
          return String(scoped.value);
        }
        return variables[name] ?? match;
      });
    },
    containsTemplate: (target?: string) => !!target && new RegExp(VARIABLE.source).test(target),
    updateTimeRange: (_range: TimeRange) => undefined,
  };
  return srv as unknown as TemplateSrv;
}
