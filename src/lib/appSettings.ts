import { DEFAULT_DEVVM_INSTANCE, DEFAULT_PROBE_UID, DEFAULT_PROMETHEUS_UID } from '../constants';
import { parseTopologyText } from '../shared/topologyText';

/** The app's jsonData (provisioned or saved from the configuration page). */
export interface AppJsonData {
  prometheusUid?: string;
  probeUid?: string;
  devvmInstance?: string;
  /** Topology JSON text; empty: the runbook's default. */
  topology?: string;
}

export interface AppSettings {
  prometheusUid: string;
  probeUid: string;
  devvmInstance: string;
  topology: string;
}

const UID = /^[A-Za-z0-9_-]{1,40}$/;

export function appSettings(jsonData: AppJsonData | undefined): AppSettings {
  const pick = (v: string | undefined, d: string) => (v && v.trim() !== '' ? v.trim() : d);
  return {
    prometheusUid: pick(jsonData?.prometheusUid, DEFAULT_PROMETHEUS_UID),
    probeUid: pick(jsonData?.probeUid, DEFAULT_PROBE_UID),
    devvmInstance: pick(jsonData?.devvmInstance, DEFAULT_DEVVM_INSTANCE),
    topology: jsonData?.topology ?? '',
  };
}

/** Problems with settings about to be saved, by field; empty when they can be saved. */
export function settingsProblems(s: AppSettings): Partial<Record<keyof AppSettings, string>> {
  const problems: Partial<Record<keyof AppSettings, string>> = {};
  if (!UID.test(s.prometheusUid)) {
    problems.prometheusUid = `"${s.prometheusUid}" is not a datasource uid (letters, digits, _ and -, at most 40)`;
  }
  if (!UID.test(s.probeUid)) {
    problems.probeUid = `"${s.probeUid}" is not a datasource uid (letters, digits, _ and -, at most 40)`;
  }
  if (s.devvmInstance.trim() === '') {
    problems.devvmInstance = 'the devvm instance label is empty';
  }
  const topo = parseTopologyText(s.topology, "The app's topology");
  if (!topo.ok) {
    problems.topology = topo.error;
  }
  return problems;
}
