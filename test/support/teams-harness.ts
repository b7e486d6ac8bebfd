/** The real app and a fake Bot Connector for each test of a describe block, with the Teams shortcuts tests use. */
import { afterEach, beforeEach } from 'vitest';
import { startFakeConnector, type FakeConnector } from './fake-connector.js';
import { startHarness, TEAMS_SE_CHANNEL, type Harness } from './harness.js';
import { postActivity } from './teams-activities.js';

export interface TeamsTest {
  h: Harness;
  connector: FakeConnector;
  /** Where a test's activities happen: the SE platform's Teams channel, through the fake connector. */
  where(): { serviceUrl: string; channelId: string };
  post(activity: unknown): ReturnType<typeof postActivity>;
}

/** Registers the set-up and tear-down; call `current()` inside a test. */
export function useTeams(): { current(): TeamsTest } {
  let test: TeamsTest | undefined;
  beforeEach(async () => {
    const connector = await startFakeConnector();
    const h = await startHarness();
    test = {
      h,
      connector,
      where: () => ({ serviceUrl: connector.serviceUrl, channelId: TEAMS_SE_CHANNEL }),
      post: (activity) => postActivity(h.app.url, activity),
    };
  });
  afterEach(async () => {
    await test?.h.stop();
    await test?.connector.close();
    test = undefined;
  });
  return {
    current: () => {
      if (!test) throw new Error('useTeams().current() is for inside a test');
      return test;
    },
  };
}
