// Dead exports: every name exported from src/, probe-sidecar/src/, tests/ support files, lab/ and bench/ that no
// other file imports (tests count as users; `export { x } from` counts as a use of x, `export *` passes
// uses on). Exempt: `export default` and the files loaded by convention (plugin entry points, configs,
// tests, declaration files, the scripts run directly). One line per dead export, file:line; exit 1 if any.
// Usage: node scripts/dead-exports.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '..');
const CHECKED = /^(src|probe-sidecar\/src|tests|lab|bench)\//;
const RUN_DIRECTLY = [
  ...readFileSync(path.join(ROOT, 'package.json'), 'utf8').matchAll(/[\w./-]+\.ts\b/g),
  ['tests/browser/harness/page/main.tsx'],
].map((m) => m[0]);
const EXEMPT = (f) =>
  /(^|\/)module\.tsx?$|\.test\.tsx?$|\.d\.ts$|(^|\/)[\w-]+\.config\.ts$|(^|\/)main\.ts$/.test(f) ||
  RUN_DIRECTLY.includes(f);

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
  .toString()
  .split('\n')
  .filter((f) => /\.(ts|tsx|mts|mjs)$/.test(f) && !f.includes('node_modules/') && existsSync(path.join(ROOT, f)));

function resolve(from, spec) {
  if (!spec.startsWith('.')) {
    return undefined;
  }
  const base = path.relative(ROOT, path.resolve(ROOT, path.dirname(from), spec)).replace(/\.js$/, '');
  const tries = ['', '.ts', '.tsx', '.mts', '.mjs', '/index.ts', '/index.tsx'].map((e) => base + e);
  return tries.find((f) => files.includes(f));
}

const exported = new Map(); // file -> Map(name -> line)
const stars = new Map(); // file -> [files it re-exports with export *]
const uses = []; // [file, name | '*']

for (const file of files) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? 4 : 3);
  const own = new Map();
  exported.set(file, own);
  stars.set(file, []);
  const line = (node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const record = (spec, name) => {
    const target = resolve(file, spec);
    if (target && target !== file) {
      uses.push([target, name]);
    }
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      const c = node.importClause;
      if (c?.name) {
        record(spec, 'default');
      }
      if (c?.namedBindings && ts.isNamespaceImport(c.namedBindings)) {
        record(spec, '*');
      }
      if (c?.namedBindings && ts.isNamedImports(c.namedBindings)) {
        c.namedBindings.elements.forEach((e) => record(spec, (e.propertyName ?? e.name).text));
      }
    } else if (ts.isExportDeclaration(node)) {
      const spec =
        node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
      if (!node.exportClause) {
        const target = spec && resolve(file, spec);
        if (target) {
          stars.get(file).push(target);
        }
      } else if (ts.isNamespaceExport(node.exportClause)) {
        own.set(node.exportClause.name.text, line(node));
        if (spec) {
          record(spec, '*');
        }
      } else {
        for (const e of node.exportClause.elements) {
          own.set(e.name.text, line(e));
          if (spec) {
            record(spec, (e.propertyName ?? e.name).text);
          }
        }
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) {
        record(arg.text, '*');
      }
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      const q = node.qualifier;
      record(node.argument.literal.text, q ? (ts.isIdentifier(q) ? q.text : q.left.getText(sf)) : '*');
    } else if (ts.canHaveModifiers(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (node.modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
        // export default: exempt
      } else if (ts.isVariableStatement(node)) {
        for (const d of node.declarationList.declarations) {
          const names = ts.isIdentifier(d.name) ? [d.name] : d.name.elements.map((e) => e.name);
          names.forEach((n) => own.set(n.getText(sf), line(n)));
        }
      } else if (node.name) {
        own.set(node.name.text, line(node.name));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const used = new Set();
const mark = (file, name, seen = new Set()) => {
  if (seen.has(file)) {
    return;
  }
  seen.add(file);
  const own = exported.get(file);
  for (const n of name === '*' ? [...own.keys()] : [name]) {
    used.add(`${file}#${n}`);
  }
  if (name === '*' || !own.has(name)) {
    stars.get(file).forEach((s) => mark(s, name, seen));
  }
};
uses.forEach(([file, name]) => mark(file, name));

const dead = [];
for (const [file, own] of exported) {
  if (!CHECKED.test(file) || EXEMPT(file)) {
    continue;
  }
  for (const [name, line] of own) {
    if (!used.has(`${file}#${name}`)) {
      dead.push(`${file}:${line}: ${name} is exported but no other file imports it`);
    }
  }
}
dead.sort().forEach((d) => console.log(d));
process.exit(dead.length > 0 ? 1 : 0);
