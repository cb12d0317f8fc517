/**
 * Grafana's frontend turns clicks on same-origin links into client-side navigation (locationService.push)
 * instead of page loads; plugins rely on it for plain `<a href="/a/…">` links. The harness does the same.
 */
import { locationService } from '@grafana/runtime';

export function interceptLinkClicks(): void {
  document.addEventListener('click', (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    const anchor = (event.target as Element | null)?.closest?.('a[href]');
    if (!(anchor instanceof HTMLAnchorElement) || (anchor.target && anchor.target !== '_self')) {
      return;
    }
    const url = new URL(anchor.href, document.baseURI);
    if (url.origin !== window.location.origin) {
      return;
    }
    event.preventDefault();
    locationService.push(url.pathname + url.search + url.hash);
  });
}
