/**
 * PromQL checks with Prometheus' own grammar (@prometheus-io/lezer-promql), after replacing Grafana's
 * template variables with values of the right shape.
 */
import { parser } from '@prometheus-io/lezer-promql';

/** Durations for range variables, a label value for the others (`$leg` sits inside a regex matcher). */
const GRAFANA_VARS: Record<string, string> = {
  __range: '6h',
  __rate_interval: '1m',
  __interval: '15s',
  leg: 'cloudflare',
  instance: 'devvm',
};

/** Replaces `$name` and `${name}` with `vars[name]`; an unknown variable is an error naming it. */
export function substituteGrafanaVars(expr: string, vars: Record<string, string> = GRAFANA_VARS): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = vars[name];
    if (value === undefined) {
      throw new Error(`unknown Grafana variable $${name} in ${expr}`);
    }
    return value;
  });
}

/** Syntax errors of `expr` as "at <offset>: <text around it>"; empty when it parses. */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(`at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
      }
    },
  });
  return errors;
}

/** The comparison at the top of `expr` as `<op> <right side>` (e.g. `>= 3`), or null. */
export function comparisonSuffix(expr: string): string | null {
  const lhs = comparisonOperand(expr);
  return lhs === null
    ? null
    : expr
        .slice(expr.indexOf(lhs) + lhs.length)
        .trim()
        .replace(/\s+/g, ' ');
}

/**
 * The left operand when `expr` is a comparison at the top (`x > 0.1`, `x == 0`): the measured quantity
 * of an alert, which has data even while the alert is quiet. Otherwise null.
 */
export function comparisonOperand(expr: string): string | null {
  const top = parser.parse(expr).topNode.firstChild;
  if (top?.name !== 'BinaryExpr') {
    return null;
  }
  const lhs = top.firstChild;
  const op = lhs?.nextSibling;
  if (!lhs || !op || !['Eql', 'Neq', 'Gtr', 'Gte', 'Lss', 'Lte'].includes(op.name)) {
    return null;
  }
  return expr.slice(lhs.from, lhs.to);
}
