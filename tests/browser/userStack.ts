/**
 * The per-user browser tests' setup (issue 12): a probe stand-in answering with the engine's verdict for
 * one user's report and the users' topology, and a Grafana 13.2 harness whose attribution datasource's data
 * proxy points at it.
 */
import { fakeRoutes, fakeTopologyAnswer } from '../../src/shared/probe-api/fakes';
import { userVerdict, USERS_TOPOLOGY } from '../../src/test/probeFixtures';
import { probeDatasource } from './appDatasources';
import { startFakeProbe, type FakeProbe } from './fakeProbe';
import { startHarness, type Harness } from './harness';
import { FROM, TO } from './promFrames';

export interface UserStack {
  probe: FakeProbe;
  harness: Harness;
  close(): Promise<void>;
}

export async function startUserStack(user: string, variables?: Record<string, string>): Promise<UserStack> {
  const probe = await startFakeProbe(
    fakeRoutes({
      '/api/v1/attribution': userVerdict(user, FROM, TO),
      '/api/v1/topology': fakeTopologyAnswer(USERS_TOPOLOGY),
    })
  );
  const harness = await startHarness({
    grafana: '13.2.3',
    variables,
    datasources: [probeDatasource(probe.url)],
  }).catch(async (e: unknown) => {
    await probe.close();
    throw e;
  });
  return {
    probe,
    harness,
    async close() {
      await harness.close();
      await probe.close();
    },
  };
}
