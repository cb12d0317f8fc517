/**
 * Stand-in for Grafana's DataSourceSrv over the datasources the harness was configured with (the same
 * instance settings Grafana puts in its boot data: url = the data proxy path, jsonData, never the secrets).
 * Only this project's datasource has a plugin here; asking for another type's instance fails loudly.
 */
import type { DataSourceApi, DataSourceInstanceSettings, DataSourcePlugin, DataSourceRef } from '@grafana/data';
import type { DataSourceSrv } from '@grafana/runtime';
import { loadPlugin } from './loadPlugin';

const OWN_TYPE = 't3-dropattribution-datasource';

export function createDataSourceSrv(settings: DataSourceInstanceSettings[]): DataSourceSrv {
  const instances = new Map<string, Promise<DataSourceApi>>();

  const find = (ref?: DataSourceRef | string | null) => {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    if (key === undefined) {
      return settings.find((s) => s.isDefault) ?? settings[0];
    }
    return settings.find((s) => s.uid === key || s.name === key);
  };

  const instantiate = async (instance: DataSourceInstanceSettings): Promise<DataSourceApi> => {
    if (instance.type !== OWN_TYPE) {
      throw new Error(`the harness has no plugin for datasource type "${instance.type}" (uid ${instance.uid})`);
    }
    const plugin = await loadPlugin<DataSourcePlugin<DataSourceApi>>(instance.meta);
    const ds = new plugin.DataSourceClass(instance);
    ds.components = plugin.components;
    return ds;
  };

  const srv = {
    get(ref?: DataSourceRef | string | null) {
      const instance = find(ref);
      if (!instance) {
        return Promise.reject(new Error(`datasource ${JSON.stringify(ref)} was not found`));
      }
      if (!instances.has(instance.uid)) {
        instances.set(instance.uid, instantiate(instance));
      }
      return instances.get(instance.uid)!;
    },
    getList: (filters?: { pluginId?: string; type?: string | string[] }) =>
      settings.filter((s) => {
        if (filters?.pluginId && s.type !== filters.pluginId) {
          return false;
        }
        if (filters?.type && ![filters.type].flat().includes(s.type)) {
          return false;
        }
        return true;
      }),
    getInstanceSettings: find,
    reload: async () => undefined,
    registerRuntimeDataSource: () => {
      throw new Error('the harness does not register runtime datasources');
    },
  };
  return srv as unknown as DataSourceSrv;
}
