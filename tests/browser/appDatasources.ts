/**
 * The app's two datasources as the harness is given them, at the uids provisioning gives them (the app's
 * defaults, src/constants.ts): the attribution datasource with its probe's URL, and Prometheus.
 */
import { DEFAULT_PROBE_UID, DEFAULT_PROMETHEUS_UID } from '../../src/constants';
import type { HarnessDatasource } from './harness';

/** The attribution datasource pointed at the probe at `url`; `overrides` for a second one or a token. */
export function probeDatasource(url: string, overrides: Partial<HarnessDatasource> = {}): HarnessDatasource {
  return {
    uid: DEFAULT_PROBE_UID,
    name: 't3 probe',
    type: 't3-dropattribution-datasource',
    jsonData: { url },
    ...overrides,
  };
}

/** Prometheus at `url`, the page's default datasource (panels without a datasource of their own use it). */
export function prometheusDatasource(url: string): HarnessDatasource {
  return { uid: DEFAULT_PROMETHEUS_UID, name: 'Prometheus', type: 'prometheus', url, isDefault: true };
}
