import { createTheme, type GrafanaTheme2, ThemeContext } from '@grafana/data';
import { render, type RenderOptions, type RenderResult } from '@testing-library/react';
import React, { type ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';

interface RenderWithProvidersOptions extends Omit<RenderOptions, 'wrapper'> {
  theme?: 'dark' | 'light';
  /** Initial router entry, e.g. `/a/t3-dropattribution-app/triage?time=…`. */
  route?: string;
}

/** Renders inside what Grafana gives a plugin at run time: its theme context and a router. */
export function renderWithProviders(
  ui: ReactElement,
  options: RenderWithProvidersOptions = {}
): RenderResult & { theme: GrafanaTheme2 } {
  const { theme: mode = 'dark', route = '/', ...rest } = options;
  const theme = createTheme({ colors: { mode } });
  const Wrapper = ({ children }: { children: React.ReactNode }) => (
    <ThemeContext.Provider value={theme}>
      <MemoryRouter initialEntries={[route]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        {children}
      </MemoryRouter>
    </ThemeContext.Provider>
  );
  return { ...render(ui, { wrapper: Wrapper, ...rest }), theme };
}
