/**
 * Grafana's own static assets that plugin UIs pull in through @grafana/ui: icons (shipped inside the
 * @grafana/ui package) and the Inter / Roboto Mono web fonts (Grafana's, not in any npm package we use).
 * Fonts come from Debian instead: Inter from `fonts-inter`; Roboto Mono is not packaged, so DejaVu Sans
 * Mono (Chromium's own dependency) stands in. Grafana's own `spinner` icon is not in @grafana/ui either; a
 * drawing of ours in ./assets stands in. Only the look of screenshots depends on these.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const ICONS = '/public/build/img/icons/';
const INTER = /^\/public\/fonts\/inter\/Inter-(\w+)\.woff2$/;
const ROBOTO = '/public/fonts/roboto/';

/** The file that answers a Grafana core asset URL, or undefined when it is none (or not installed). */
export function coreAssetFile(root: string, pathname: string): string | undefined {
  let file: string | undefined;
  if (pathname.startsWith(ICONS)) {
    const relative = pathname.slice(ICONS.length);
    for (const base of [path.join(root, 'node_modules/@grafana/ui/dist/public/img/icons'), path.join(HERE, 'assets')]) {
      const candidate = path.resolve(base, relative);
      if (candidate.startsWith(base + path.sep) && existsSync(candidate)) {
        file = candidate;
        break;
      }
    }
  } else if (INTER.test(pathname)) {
    file = `/usr/share/fonts/opentype/inter/Inter-${INTER.exec(pathname)![1]}.otf`;
  } else if (pathname.startsWith(ROBOTO)) {
    file = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
  }
  return file !== undefined && existsSync(file) ? file : undefined;
}
