import { type AppPluginMeta, type PluginConfigPageProps } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, Input, Stack, TextArea } from '@grafana/ui';
import React, { useState } from 'react';
import { APP_ID } from '../../constants';
import { type AppJsonData, type AppSettings, appSettings, settingsProblems } from '../../lib/appSettings';
import { DEFAULT_TOPOLOGY_TEXT } from '../../shared/topologyText';
import { TEST_IDS } from '../../shared/testIds';

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string };

/** Which Prometheus and probe datasources the pages use, the devvm instance label, the topology. */
export function AppConfig({ meta }: { meta: AppPluginMeta<AppJsonData> }) {
  const [s, setS] = useState<AppSettings>(() => appSettings(meta.jsonData));
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const problems = settingsProblems(s);
  const field = (key: keyof AppSettings) => ({ invalid: !!problems[key], error: problems[key] });
  const change = (key: keyof AppSettings) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setS({ ...s, [key]: e.currentTarget.value });
    setStatus({ kind: 'idle' });
  };

  const save = async () => {
    setStatus({ kind: 'saving' });
    try {
      await getBackendSrv().post(`/api/plugins/${APP_ID}/settings`, {
        enabled: meta.enabled ?? true,
        pinned: meta.pinned ?? true,
        jsonData: { ...(meta.jsonData ?? {}), ...s },
      });
      setStatus({ kind: 'saved' });
    } catch (err) {
      const data = (err as { data?: { message?: string } }).data;
      setStatus({ kind: 'error', message: data?.message ?? (err instanceof Error ? err.message : String(err)) });
    }
  };

  return (
    <Stack direction="column" gap={1} data-testid={TEST_IDS.appConfig}>
      <Field
        label="Prometheus datasource uid"
        description="Where the probe's metrics and devvm's node_exporter are."
        {...field('prometheusUid')}
      >
        <Input id="t3-config-prometheus" width={40} value={s.prometheusUid} onChange={change('prometheusUid')} />
      </Field>
      <Field
        label="Probe datasource uid"
        description="The t3 drop attribution datasource that reaches the probe."
        {...field('probeUid')}
      >
        <Input id="t3-config-probe" width={40} value={s.probeUid} onChange={change('probeUid')} />
      </Field>
      <Field
        label="devvm instance label"
        description='The "instance" label of devvm in Prometheus (runbook §3).'
        {...field('devvmInstance')}
      >
        <Input id="t3-config-instance" width={40} value={s.devvmInstance} onChange={change('devvmInstance')} />
      </Field>
      <Field
        label="Topology (JSON)"
        description="Segments and legs, as in the probe's config. Empty: the runbook's default."
        {...field('topology')}
      >
        <TextArea
          id="t3-config-topology"
          rows={12}
          value={s.topology}
          placeholder={DEFAULT_TOPOLOGY_TEXT}
          onChange={change('topology')}
        />
      </Field>
      <Stack direction="row" gap={1} alignItems="center">
        <Button onClick={save} disabled={Object.keys(problems).length > 0 || status.kind === 'saving'}>
          Save settings
        </Button>
        {status.kind === 'saved' && <span role="status">Saved. Reload the page for the app to use them.</span>}
      </Stack>
      {status.kind === 'error' && (
        <Alert severity="error" title="Saving failed">
          {status.message}
        </Alert>
      )}
    </Stack>
  );
}

/** The same form as the app's plugin configuration tab. */
export function AppConfigTab({ plugin }: PluginConfigPageProps<AppPluginMeta<AppJsonData>>) {
  return <AppConfig meta={plugin.meta} />;
}
