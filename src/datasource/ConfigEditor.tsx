import { type DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, Input, SecretInput, Stack } from '@grafana/ui';
import React, { type ChangeEvent } from 'react';
import type { ProbeJsonData, ProbeSecureJsonData } from './types';

type Props = DataSourcePluginOptionsEditorProps<ProbeJsonData, ProbeSecureJsonData>;

/** Where the probe is and its API token. The token is write-only: Grafana keeps it server-side. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const configured = options.secureJsonFields?.apiToken === true;
  const url = options.jsonData.url ?? '';
  const urlProblem =
    url !== '' && !/^https?:\/\/[^\s/]+/.test(url)
      ? 'Use an http:// or https:// URL, e.g. http://t3-probe:9464'
      : undefined;
  return (
    <Stack direction="column" gap={2}>
      <Field
        label="Probe URL"
        description="The t3 probe's API, reached by Grafana's server (data proxy)."
        invalid={!!urlProblem}
        error={urlProblem}
        required
      >
        <Input
          id="t3-probe-url"
          width={50}
          value={url}
          placeholder="http://t3-probe:9464"
          onChange={(e: ChangeEvent<HTMLInputElement>) =>
            onOptionsChange({ ...options, jsonData: { ...options.jsonData, url: e.currentTarget.value.trim() } })
          }
        />
      </Field>
      <Field
        label="API token"
        description="Optional. Sent by Grafana's server as a bearer token; never to the browser."
      >
        <SecretInput
          id="t3-probe-token"
          width={50}
          isConfigured={configured}
          value={options.secureJsonData?.apiToken ?? ''}
          placeholder="token from the probe's api.tokenFile"
          onChange={(e: ChangeEvent<HTMLInputElement>) =>
            onOptionsChange({ ...options, secureJsonData: { apiToken: e.currentTarget.value } })
          }
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...options.secureJsonFields, apiToken: false },
              secureJsonData: { apiToken: '' },
            })
          }
        />
      </Field>
    </Stack>
  );
}
