/**
 * What Grafana puts around every plugin component: its theme in ThemeContext, its global styles, and a
 * boundary that turns a render crash into a rejected harness call instead of a blank page.
 */
import { createTheme, type GrafanaTheme2 } from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { Component, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ThemeMode } from '../api';

class Boundary extends Component<{ onError: (error: Error) => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: Error) {
    this.props.onError(error);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

let root: Root | undefined;
let lastError: Error | undefined;

export function themeFor(mode: ThemeMode): GrafanaTheme2 {
  return createTheme({ colors: { mode } });
}

/** Replaces whatever the page showed with `children` in Grafana's chrome for the given theme. */
export function mount(theme: GrafanaTheme2, children: ReactNode): void {
  root?.unmount();
  lastError = undefined;
  const container = document.getElementById('root')!;
  root = createRoot(container);
  document.body.style.background = theme.colors.background.canvas;
  root.render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <Boundary onError={(error) => (lastError = error)}>{children}</Boundary>
    </ThemeContext.Provider>
  );
}

/** Resolves once React has committed and the browser has painted, or rejects with the render error. */
export async function settled(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  if (lastError) {
    throw lastError;
  }
}
