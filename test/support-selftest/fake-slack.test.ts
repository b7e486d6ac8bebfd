import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBlockKitLimits } from '../support/block-kit-limits.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { validateSlackManifest } from '../support/manifest-schema.js';
import {
  appMention,
  blockAction,
  checkboxesValue,
  dateValue,
  eventCallback,
  numberValue,
  selectValue,
  sendSigned,
  signedHeaders,
  slashCommand,
  textValue,
  urlVerification,
  viewSubmission,
} from '../support/slack-requests.js';

const SECRET = 'test-signing-secret';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new WebClient('xoxb-test-token', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

describe('fake Slack Web API', () => {
  it('records a chat.postMessage sent by a real WebClient, with blocks decoded from the form body', async () => {
    const blocks = [
      { type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: '*Bonjour* & welcome' } },
      { type: 'actions', elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, value: 'x=1&y=2' }] },
    ];
    const first = await client.chat.postMessage({ channel: 'C01FRANCE', text: 'hello', blocks });
    const second = await client.chat.postMessage({ channel: 'C01FRANCE', text: 'again' });

    expect(first.ok).toBe(true);
    expect(first.channel).toBe('C01FRANCE');
    expect(first.ts).toMatch(/^1700000000\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message?.blocks).toEqual(blocks);

    const [call] = fake.callsTo('chat.postMessage');
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
    expect(call.token).toBe('xoxb-test-token');
    expect(call.body.blocks).toEqual(blocks);
    expect(call.body.text).toBe('hello');
    expect(await fake.waitFor('chat.postMessage', (c) => c.body.text === 'again')).toBe(fake.calls[1]);
  });

  it('answers the other methods a bot uses, and unknown_method otherwise', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'passerelle' });

    fake.setUser('U2', { locale: 'fr-FR', profile: { display_name: 'Bob' } });
    const user = await client.users.info({ user: 'U2', include_locale: true });
    expect(user.user).toMatchObject({ id: 'U2', locale: 'fr-FR', tz: 'Europe/Paris', profile: { display_name: 'Bob' } });

    const view = await client.views.open({
      trigger_id: '1.2.abc',
      view: { type: 'modal', callback_id: 'cb', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
    });
    expect(view.view?.id).toMatch(/^V/);
    expect(view.view?.callback_id).toBe('cb');
    const updated = await client.views.update({ view_id: view.view!.id!, view: { type: 'modal', title: { type: 'plain_text', text: 'Hi 2' }, blocks: [] } });
    expect(updated.view?.id).toBe(view.view?.id);

    expect((await client.conversations.info({ channel: 'C01FRANCE' })).channel?.name).toBe('france');
    expect((await client.chat.getPermalink({ channel: 'C1', message_ts: '1700000000.000100' })).permalink).toContain('/archives/C1/p1700000000000100');
    expect((await client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).ts).toBe('1.2');
    expect((await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'x' })).message_ts).toMatch(/^1700000000\./);

    await expect(client.apiCall('does.not.exist')).rejects.toMatchObject({ data: { ok: false, error: 'unknown_method' } });
    expect(fake.callsTo('does.not.exist')[0].failed).toBe(true);
  });

  it('failNext 429 makes the client reject with a rate-limit error carrying retryAfter', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    const err = (await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(2);
    expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({ failed: true, status: 429 });
    // only the next call failed
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('failNext can answer HTTP 500 or a Slack error N times', async () => {
    fake.failNext('chat.update', { status: 500 });
    await expect(client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
    });
    fake.failNext('conversations.info', { error: 'channel_not_found' }, 2);
    for (let i = 0; i < 2; i++) {
      await expect(client.conversations.info({ channel: 'C404' })).rejects.toMatchObject({
        code: ErrorCode.PlatformError,
        data: { error: 'channel_not_found' },
      });
    }
    await expect(client.conversations.info({ channel: 'C404' })).resolves.toMatchObject({ ok: true });
  });

  it('accepts JSON bodies and records response_url posts', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-json' },
      body: JSON.stringify({ channel: 'C1', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C1' });
    expect(fake.calls[0]).toMatchObject({ token: 'xoxb-json', body: { blocks: [{ type: 'divider' }] } });

    const url = fake.responseUrl('cmd-1');
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'done', replace_original: true }) });
    expect(await answer.json()).toEqual({ ok: true });
    const call = await fake.waitFor('response_url', (c) => c.responseId === 'cmd-1');
    expect(call.body).toEqual({ text: 'done', replace_original: true });
  });

  it('waitFor rejects with the methods seen', async () => {
    await client.auth.test();
    await expect(fake.waitFor('chat.postMessage', undefined, 50)).rejects.toThrow(
      /no call to chat\.postMessage within 50 ms; methods seen: auth\.test ×1/,
    );
  });

  it('answers invalid_blocks when Block Kit limits are exceeded', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x', blocks })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    expect(fake.calls[0]).toMatchObject({ failed: true, error: 'invalid_blocks' });
  });
});

describe('signed Slack requests', () => {
  it("produces signatures that Bolt's verifySlackRequest accepts, and a tampered body is rejected", () => {
    const req = slashCommand({ text: 'help me', responseUrl: 'http://127.0.0.1/response/x' });
    const headers = signedHeaders(req, { secret: SECRET });
    const verify = (body: string, h = headers) =>
      verifySlackRequest({
        signingSecret: SECRET,
        body,
        headers: { 'x-slack-signature': h['x-slack-signature'], 'x-slack-request-timestamp': Number(h['x-slack-request-timestamp']) },
      });
    expect(() => verify(req.body)).not.toThrow();
    expect(() => verify(req.body.replace('help', 'kelp'))).toThrow(/signature mismatch/);
    expect(() => verify(req.body, signedHeaders(req, { secret: SECRET, badSignature: true }))).toThrow(/signature mismatch/);
    const stale = signedHeaders(req, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(() => verify(req.body, stale)).toThrow(/stale/);

    expect(Object.keys(req.payload)).toEqual([
      'token', 'team_id', 'team_domain', 'channel_id', 'channel_name', 'user_id', 'user_name',
      'command', 'text', 'api_app_id', 'is_enterprise_install', 'response_url', 'trigger_id',
    ]);
    expect(new URLSearchParams(req.body).get('text')).toBe('help me');
  });

  it('drives a real Bolt app over HTTP against the fake', async () => {
    const app = new App({
      token: 'xoxb-bolt',
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/passerelle', async ({ ack, command, respond, client: c }) => {
      await ack();
      await c.chat.postMessage({ channel: command.channel_id, text: `echo ${command.text}` });
      await respond({ text: 'ok' });
    });
    app.view('survey', async ({ ack, view, client: c }) => {
      await ack();
      await c.chat.postMessage({ channel: 'C01FRANCE', text: JSON.stringify({ meta: view.private_metadata, values: view.state.values }) });
    });
    app.action('approve', async ({ ack, body, respond }) => {
      await ack();
      await respond({ text: `approved by ${body.user.id}` });
    });
    app.event('app_mention', async ({ event, say, context }) => {
      await say(`hi <@${event.user}> (retry ${context.retryNum} ${context.retryReason})`);
    });
    const server = (await app.start(0)) as Server;
    const botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await sendSigned(botUrl, '/slack/events', slashCommand({ text: 'ping', responseUrl: fake.responseUrl('c1') }), { secret: SECRET });
      expect(res.status).toBe(200);
      expect((await fake.waitFor('chat.postMessage')).body).toMatchObject({ channel: 'C01FRANCE', text: 'echo ping' });
      expect((await fake.waitFor('response_url')).responseId).toBe('c1');

      const bad = await sendSigned(botUrl, '/slack/events', slashCommand({ text: 'ping', responseUrl: fake.responseUrl('c2') }), { secret: SECRET, badSignature: true });
      expect(bad.status).toBe(401);

      const values = { b1: { a1: textValue('Acme') }, b2: { a2: selectValue('fr') }, b3: { a3: checkboxesValue(['x', 'y']) }, b4: { a4: dateValue('2026-01-31') }, b5: { a5: numberValue('12') } };
      const sub = await sendSigned(botUrl, '/slack/events', viewSubmission({ callbackId: 'survey', privateMetadata: '{"case":7}', values }), { secret: SECRET });
      expect(sub.status).toBe(200);
      const posted = await fake.waitFor('chat.postMessage', (c) => String(c.body.text).startsWith('{'));
      expect(JSON.parse(String(posted.body.text))).toEqual({ meta: '{"case":7}', values });

      await sendSigned(botUrl, '/slack/events', blockAction({ actionId: 'approve', value: 'v', userId: 'U9', responseUrl: fake.responseUrl('a1') }), { secret: SECRET });
      expect((await fake.waitFor('response_url', (c) => c.responseId === 'a1')).body.text).toBe('approved by U9');

      const ev = await sendSigned(botUrl, '/slack/events', eventCallback({ event: appMention({ text: 'hello', userId: 'U3' }) }), { secret: SECRET, retryNum: 1, retryReason: 'http_timeout' });
      expect(ev.status).toBe(200);
      // Bolt processes redeliveries and exposes the retry headers in the context.
      const said = await fake.waitFor('chat.postMessage', (c) => String(c.body.text).startsWith('hi <@U3>'));
      expect(said.body).toMatchObject({ channel: 'C01FRANCE', text: 'hi <@U3> (retry 1 http_timeout)' });

      const challenge = await sendSigned(botUrl, '/slack/events', urlVerification('chal-123'), { secret: SECRET });
      expect(await challenge.json()).toEqual({ challenge: 'chal-123' });
    } finally {
      await app.stop();
    }
  });
});

describe('Block Kit limits', () => {
  it('throws with a precise message', () => {
    expect(() => assertBlockKitLimits([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }], 'message')).toThrow(
      'blocks[0].text.text: section text is 3001 characters (max 3000)',
    );
    expect(() =>
      assertBlockKitLimits(
        { type: 'modal', title: { type: 'plain_text', text: 'A title that is far too long' }, blocks: [{ type: 'divider', block_id: 'd' }, { type: 'divider', block_id: 'd' }] },
        'modal',
      ),
    ).toThrow(/view\.title\.text: modal title is 28 characters \(max 24\)[\s\S]*duplicate block_id "d"/);
    expect(() => assertBlockKitLimits(Array.from({ length: 100 }, () => ({ type: 'divider' })), 'modal')).not.toThrow();
  });
});

describe('Slack app manifest schema', () => {
  const minimal = {
    display_information: { name: 'Passerelle' },
    features: { bot_user: { display_name: 'passerelle', always_online: true } },
    oauth_config: { scopes: { bot: ['chat:write', 'commands'] } },
    settings: { interactivity: { is_enabled: true, request_url: 'https://example.com/slack/events' } },
  };

  it('accepts a minimal valid manifest', () => {
    expect(validateSlackManifest(minimal)).toEqual([]);
  });

  it('rejects a manifest without display_information.name', () => {
    const errors = validateSlackManifest({ ...minimal, display_information: { description: 'no name' } });
    expect(errors).toContain('/display_information: missing required property "name"');
  });
});
